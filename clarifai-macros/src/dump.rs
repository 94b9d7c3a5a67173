//! A hidden aid for the compile-time benchmark (`benches/benches/compile_time.rs`): when the
//! environment variable `CLARIFAI_TYPED_EXPANSION_DUMP` names a file, every expansion is appended
//! to it as source text, so that the same code can be compiled without the macro. Unset, it costs
//! one environment lookup per expansion.

use std::io::Write;

use proc_macro::TokenStream;

const VAR: &str = "CLARIFAI_TYPED_EXPANSION_DUMP";

/// Returns `expansion`, after appending it to the dump file if one is asked for (an error next to
/// it when the file cannot be written).
pub(crate) fn tee(expansion: TokenStream) -> TokenStream {
    if let Some(path) = std::env::var_os(VAR) {
        let written = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .and_then(|mut file| writeln!(file, "{expansion}"));
        if let Err(e) = written {
            let message = format!("{VAR}: cannot append to {}: {e}", path.display());
            let error = syn::Error::new(proc_macro2::Span::call_site(), message).to_compile_error();
            return TokenStream::from(error)
                .into_iter()
                .chain(expansion)
                .collect();
        }
    }
    expansion
}
