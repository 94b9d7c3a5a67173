//! Generated code, kept mostly as text.
//!
//! A proc macro built in a debug profile (cargo's default for `cargo check` and `cargo build`)
//! spends most of its time building token trees one by one: a key type's impls are some 600
//! tokens. Code whose spans do not matter is therefore written as text and lexed by the compiler
//! in one call per piece, with the same spans as `quote!` gives (`Span::call_site()`); only what
//! must keep the user's spans (the struct, the scope names, deprecation warnings) is built as
//! tokens.

use std::fmt;

use proc_macro2::{Delimiter, Span, TokenStream};

/// Code to emit: text, tokens and delimited groups, in order.
#[derive(Default)]
pub(crate) struct Output {
    pieces: Vec<Piece>,
}

enum Piece {
    Text(String),
    Tokens(TokenStream),
    Group {
        delimiter: Delimiter,
        span: Option<Span>,
        inner: Output,
    },
}

impl Output {
    pub(crate) fn push_str(&mut self, text: &str) {
        let _ = fmt::Write::write_str(self, text);
    }

    pub(crate) fn push(&mut self, c: char) {
        let _ = fmt::Write::write_char(self, c);
    }

    pub(crate) fn tokens(&mut self, tokens: TokenStream) {
        self.pieces.push(Piece::Tokens(tokens));
    }

    /// `other`'s pieces after these.
    pub(crate) fn append(&mut self, other: Output) {
        self.pieces.extend(other.pieces);
    }

    /// `inner` between `delimiter`s, spanned on `span` if given.
    pub(crate) fn group(&mut self, delimiter: Delimiter, span: Option<Span>, inner: Output) {
        self.pieces.push(Piece::Group {
            delimiter,
            span,
            inner,
        });
    }

    /// The code as the compiler's tokens: each text piece lexed by the compiler.
    pub(crate) fn into_compiler(self) -> proc_macro::TokenStream {
        self.pieces
            .into_iter()
            .map(|piece| match piece {
                Piece::Text(text) => text
                    .parse::<proc_macro::TokenStream>()
                    .unwrap_or_else(|_| lex_error(&text).into()),
                Piece::Tokens(tokens) => tokens.into(),
                Piece::Group {
                    delimiter,
                    span,
                    inner,
                } => {
                    let delimiter = match delimiter {
                        Delimiter::Brace => proc_macro::Delimiter::Brace,
                        Delimiter::Bracket => proc_macro::Delimiter::Bracket,
                        Delimiter::Parenthesis => proc_macro::Delimiter::Parenthesis,
                        Delimiter::None => proc_macro::Delimiter::None,
                    };
                    let mut group = proc_macro::Group::new(delimiter, inner.into_compiler());
                    if let Some(span) = span {
                        group.set_span(span.unwrap());
                    }
                    proc_macro::TokenTree::Group(group).into()
                }
            })
            .collect()
    }

    /// The code as `proc_macro2` tokens (outside of a macro: unit tests).
    #[cfg(test)]
    pub(crate) fn into_tokens(self) -> TokenStream {
        self.pieces
            .into_iter()
            .map(|piece| match piece {
                Piece::Text(text) => text
                    .parse::<TokenStream>()
                    .unwrap_or_else(|_| lex_error(&text)),
                Piece::Tokens(tokens) => tokens,
                Piece::Group {
                    delimiter,
                    span,
                    inner,
                } => {
                    let mut group = proc_macro2::Group::new(delimiter, inner.into_tokens());
                    if let Some(span) = span {
                        group.set_span(span);
                    }
                    proc_macro2::TokenTree::Group(group).into()
                }
            })
            .collect()
    }
}

/// Appends text (to the last text piece, if the last piece is text).
impl fmt::Write for Output {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        match self.pieces.last_mut() {
            Some(Piece::Text(text)) => text.push_str(s),
            _ => self.pieces.push(Piece::Text(s.to_owned())),
        }
        Ok(())
    }
}

/// Text of ours that does not lex: a bug in this crate.
fn lex_error(text: &str) -> TokenStream {
    let message = format!("clarifai-macros generated code that does not lex: {text}");
    syn::Error::new(Span::call_site(), message).to_compile_error()
}
