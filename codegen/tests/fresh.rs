//! What is checked in is what the endpoint rows generate.

#[test]
fn generated_code_is_fresh() {
    let stale = clarifai_codegen::stale_files().unwrap_or_else(|e| panic!("{e}"));
    assert!(
        stale.is_empty(),
        "generated files differ from what clarifai-catalogue/src/endpoints.rs generates: {stale:?}; \
         run `cargo run -p clarifai-codegen` and commit the result"
    );
}

#[test]
fn the_rows_are_consistent() {
    let problems = clarifai_codegen::check_rows(clarifai_catalogue::endpoints::ENDPOINTS);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
