//! Cross-crate tests of clarifai-typed live in `tests/`; this library is empty.
