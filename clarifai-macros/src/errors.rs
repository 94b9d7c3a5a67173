//! Collects every error of one expansion, so that three mistakes give three messages, each on its
//! own token (as serde_derive's `Ctxt` does).
//!
//! The collector must be consumed by [`Errors::check`]: dropping it unchecked is a bug in this
//! crate (an error would be lost), and panics.

pub(crate) struct Errors {
    /// `None` once checked.
    errors: Option<Vec<syn::Error>>,
}

impl Errors {
    pub(crate) fn new() -> Errors {
        Errors {
            errors: Some(Vec::new()),
        }
    }

    pub(crate) fn push(&mut self, error: syn::Error) {
        if let Some(errors) = &mut self.errors {
            errors.push(error);
        }
    }

    /// All the errors pushed, combined into one (in the order they were pushed), if any.
    pub(crate) fn check(mut self) -> syn::Result<()> {
        let mut errors = self.errors.take().unwrap_or_default().into_iter();
        match errors.next() {
            None => Ok(()),
            Some(mut combined) => {
                combined.extend(errors);
                Err(combined)
            }
        }
    }
}

impl Drop for Errors {
    fn drop(&mut self) {
        if self.errors.is_some() && !std::thread::panicking() {
            panic!("clarifai-macros: an `Errors` was dropped without `check`");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Errors;
    use proc_macro2::Span;

    #[test]
    fn combines_in_order() {
        assert!(Errors::new().check().is_ok());
        let mut errors = Errors::new();
        errors.push(syn::Error::new(Span::call_site(), "first"));
        errors.push(syn::Error::new(Span::call_site(), "second"));
        let combined = errors
            .check()
            .err()
            .map(|e| e.into_iter().map(|e| e.to_string()));
        let messages: Vec<String> = combined.into_iter().flatten().collect();
        assert_eq!(messages, ["first", "second"]);
    }

    #[test]
    #[should_panic = "without `check`"]
    fn unchecked_is_a_bug() {
        let mut errors = Errors::new();
        errors.push(syn::Error::new(Span::call_site(), "lost"));
    }
}
