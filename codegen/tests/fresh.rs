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

#[test]
fn user_level_bindings_mirror_an_app_level_path() {
    use clarifai_catalogue::endpoints::ENDPOINTS;
    let list_models = ENDPOINTS
        .iter()
        .find(|e| e.rpc == "ListModels")
        .copied()
        .expect("ListModels is a row");
    assert!(
        list_models
            .full_paths
            .contains(&"/v2/users/{user_id}/models")
    );
    assert!(clarifai_codegen::check_rows(&[list_models]).is_empty());
    let astray = clarifai_catalogue::endpoints::Endpoint {
        full_paths: &[
            "/v2/users/{user_id}/apps/{app_id}/models",
            "/v2/users/{user_id}/workflows",
        ],
        ..list_models
    };
    let problems = clarifai_codegen::check_rows(&[astray]);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].contains("/v2/users/{user_id}/workflows"),
        "{problems:?}"
    );
    let no_app = clarifai_catalogue::endpoints::Endpoint {
        full_paths: &["/v2/users/{user_id}/models"],
        ..list_models
    };
    assert!(!clarifai_codegen::check_rows(&[no_app]).is_empty());
}
