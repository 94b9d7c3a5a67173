//! The typed client against the emulator, in process: every endpoint's success path, the errors a
//! user acts on, redaction, scope verification, narrowing, PAT paths and run-time keys.

#![allow(clippy::unwrap_used)] // a test: a failed unwrap is a failed test

use std::collections::BTreeSet;

use clarifai_emulator::{Emulator, Mode, RunningEmulator};
use clarifai_typed::models::{
    Annotation, ApiKey, App, Collaborator, Concept, ConceptLanguage, ConceptQuery, Data, Dataset,
    DatasetVersion, FeedbackInfo, Input, Model, ModelQuery, PatchAction, Query,
    SingleModelVersionResponse, StatusCode, Workflow, WorkflowNode,
};
use clarifai_typed::{
    Client, Error, Key, PatKey, Redacted, Rpc, Scope, UnverifiedKey, scope, scoped_key,
};

/// Every scope.
#[scoped_key(All)]
pub struct FullKey;

/// What a tagging service holds: predict and add inputs, but not read concepts.
#[scoped_key(Predict, AddInputs)]
pub struct TaggerKey;

/// Predicting only.
#[scoped_key(Predict)]
pub struct PredictOnly;

/// Predict, add inputs, read concepts, search.
#[scoped_key(Predict, AddInputs, GetConcepts, Search)]
pub struct Claims;

use clarifai_emulator::samples::solid_png as png;

fn scopes<K: Key>() -> Vec<Scope> {
    K::SCOPES.to_vec()
}

async fn emulator() -> RunningEmulator {
    Emulator::builder().start().await.unwrap()
}

/// `model_version.metrics.status.code` of an evaluation answer.
fn evaluation_status(r: &SingleModelVersionResponse) -> Option<StatusCode> {
    r.model_version
        .as_ref()?
        .metrics
        .as_ref()?
        .status
        .as_ref()
        .map(|s| s.code)
}

/// A fresh emulator and a client of a key holding every scope.
async fn full_app() -> (RunningEmulator, Client<FullKey>) {
    let emu = emulator().await;
    let app = client(
        &emu,
        FullKey::new(emu.create_key(&scopes::<FullKey>())).unwrap(),
    );
    (emu, app)
}

fn client<K: Key>(emu: &RunningEmulator, key: K) -> Client<K> {
    Client::builder(key)
        .base_url(emu.base_url())
        .build()
        .unwrap()
}

#[tokio::test]
async fn every_endpoint_answers_through_its_method() {
    let emu = emulator().await;
    let app = client(
        &emu,
        FullKey::new(emu.create_key(&[Scope::of::<scope::All>()])).unwrap(),
    );
    let pat = Client::builder(PatKey::new(emu.create_pat()).unwrap())
        .base_url(emu.base_url())
        .user_app(emu.user_id(), emu.app_id())
        .build()
        .unwrap();
    let mut seen = BTreeSet::new();
    macro_rules! ok {
        ($rpc:ident, $call:expr) => {{
            let result = $call.await;
            assert!(result.is_ok(), "{}: {:?}", stringify!($rpc), result.err());
            seen.insert(Rpc::$rpc);
            result.unwrap()
        }};
    }

    let red = Input::from_bytes(png([250, 10, 10]))
        .with_id("red")
        .with_concepts([Concept::positive("warm")]);
    let blue = Input::from_bytes(png([10, 10, 250]))
        .with_id("blue")
        .with_concepts([Concept::negative("warm")]);
    let extra = Input::from_bytes(png([10, 250, 10])).with_id("green");
    ok!(PostInputs, app.add_inputs().inputs([red, blue, extra]));
    emu.wait_idle().await;
    let listed = ok!(ListInputs, app.list_inputs().page(1, 10));
    assert_eq!(listed.inputs.len(), 3);
    ok!(GetInput, app.get_input("red"));
    ok!(GetInputCount, app.input_count());
    ok!(
        PatchInputs,
        app.patch_inputs().input(
            PatchAction::MERGE,
            Input::with_id_only("green").with_concepts([Concept::positive("grass")])
        )
    );

    let predicted = ok!(
        PostModelOutputs,
        app.predict("color-recognition")
            .input(Input::from_bytes(png([250, 10, 10])))
    );
    assert!(
        !predicted.outputs[0]
            .data
            .as_ref()
            .unwrap()
            .colors
            .is_empty()
    );
    ok!(
        GetModelOutputInfo,
        app.model_output_info("general-image-recognition")
    );
    ok!(ListModels, app.list_models());
    ok!(GetModel, app.get_model("general-image-recognition"));
    ok!(ListModelTypes, app.list_model_types());

    ok!(
        PostConcepts,
        app.add_concepts()
            .concept(Concept::new("cold").with_name("Cold"))
    );
    ok!(ListConcepts, app.list_concepts());
    ok!(GetConcept, app.get_concept("cold"));
    ok!(
        PatchConcepts,
        app.patch_concepts().concept(
            PatchAction::OVERWRITE,
            Concept::new("cold").with_name("Chilly")
        )
    );
    ok!(
        PostConceptsSearches,
        app.search_concepts().query(ConceptQuery::name("c*"))
    );
    ok!(GetConceptCounts, app.concept_counts());

    ok!(
        PostModels,
        app.add_model()
            .model(Model::new("warmth").with_concepts([Concept::new("warm")]))
    );
    let trained = ok!(PostModelVersions, app.train_model("warmth"));
    let version = trained
        .model
        .as_ref()
        .and_then(|m| m.model_version.as_ref())
        .map(|v| v.id.clone())
        .unwrap();
    // Training is asynchronous: the version is queued, then trained in the background.
    emu.wait_idle().await;
    ok!(ListModelVersions, app.list_model_versions("warmth"));
    ok!(
        GetModelVersion,
        app.get_model_version("warmth", version.clone())
    );
    ok!(ListModelInputs, app.list_model_inputs("warmth"));
    let queued = ok!(
        PostModelVersionMetrics,
        app.evaluate_model_version("warmth", version.clone())
    );
    assert_eq!(
        evaluation_status(&queued),
        Some(StatusCode::MODEL_QUEUED_FOR_EVALUATION)
    );
    ok!(
        GetModelVersionMetrics,
        app.model_version_metrics("warmth", version.clone())
    );
    ok!(
        PostModelOutputs,
        app.predict("warmth")
            .version(version.clone())
            .input(Input::from_bytes(png([240, 20, 20])))
    );
    ok!(
        PatchModels,
        app.patch_models()
            .model(PatchAction::MERGE, Model::new("warmth").with_name("Warmth"))
    );

    let workflow = Workflow::new(
        "colours",
        [WorkflowNode::new("c", Model::new("color-recognition"))],
    );
    ok!(PostWorkflows, app.add_workflows().workflow(workflow));
    ok!(ListWorkflows, app.list_workflows());
    ok!(GetWorkflow, app.get_workflow("colours"));
    ok!(
        PatchWorkflows,
        app.patch_workflows().with(|r| {
            r.action = PatchAction::MERGE;
            r.workflows.push(Workflow::new(
                "colours",
                [WorkflowNode::new("c", Model::new("color-recognition"))],
            ));
        })
    );
    ok!(
        PostWorkflowResults,
        app.predict_workflow("colours")
            .input(Input::from_bytes(png([1, 2, 3])))
    );

    let annotated = ok!(
        PostAnnotations,
        app.add_annotations().annotation(Annotation::new(
            "green",
            Data::default().with_concepts([Concept::positive("grass")])
        ))
    );
    let annotation_id = annotated.annotations[0].id.clone();
    ok!(ListAnnotations, app.list_annotations());
    ok!(
        GetAnnotation,
        app.get_annotation("green", annotation_id.clone())
    );
    ok!(
        PatchAnnotations,
        app.patch_annotations().with(|r| {
            r.action = PatchAction::MERGE;
            let mut a = Annotation::new(
                "green",
                Data::default().with_concepts([Concept::positive("lawn")]),
            );
            a.id = annotation_id.clone();
            r.annotations.push(a);
        })
    );

    let by_image = Query::ands([clarifai_typed::models::And::output(
        clarifai_typed::models::Output::from_data(Data::image_bytes(png([250, 10, 10]))),
    )]);
    ok!(PostSearches, app.search().save_as("reds", by_image.clone()));
    ok!(PostSearchesByID, app.run_saved_search("reds"));
    ok!(GetSearch, app.get_saved_search("reds"));
    ok!(ListSearches, app.list_saved_searches());
    ok!(DeleteSearch, app.delete_saved_search("reds"));
    let hits = ok!(PostSearches, app.search().query(by_image));
    assert_eq!(
        hits.hits[0]
            .input
            .visible()
            .and_then(|i| i.as_ref())
            .map(|i| i.id.as_str()),
        Some("red")
    );
    let rank = Query::new(
        [],
        [clarifai_typed::models::Rank::annotation(Annotation::new(
            "",
            Data::image_bytes(png([10, 10, 250])),
        ))],
    );
    let ranked = ok!(PostInputsSearches, app.search_inputs().query(rank.clone()));
    assert!(!ranked.hits.is_empty());
    ok!(
        PostAnnotationsSearches,
        app.search_annotations().query(rank)
    );

    ok!(MyScopes, app.my_scopes());
    ok!(GetApp, app.get_app());
    ok!(ListApps, pat.list_apps());
    let created = ok!(
        PostKeys,
        pat.add_keys().api_key(ApiKey::for_app(
            "ci",
            emu.user_id(),
            emu.app_id(),
            [Scope::of::<scope::Predict>()]
        ))
    );
    let key_id = created.keys[0].id.expose_secret().to_owned();
    ok!(ListKeys, pat.list_keys());
    ok!(GetKey, pat.get_key(key_id.clone()));
    ok!(
        PatchKeys,
        pat.patch_keys().with(|r| {
            r.action = PatchAction::OVERWRITE;
            let mut k = ApiKey::for_app(
                "ci, renamed",
                emu.user_id(),
                emu.app_id(),
                [Scope::of::<scope::Predict>()],
            );
            k.id = clarifai_typed::models::KeySecret::new(key_id.clone());
            r.keys.push(k);
        })
    );
    ok!(ListAppKeys, pat.list_app_keys());

    // The endpoints Clarifai's official clients use (issue 10).
    ok!(
        PostModelsSearches,
        app.search_models().query(ModelQuery::name("gen*"))
    );
    ok!(
        PostModelFeedback,
        app.model_feedback("general-image-recognition").input(
            Input::from_url("http://127.0.0.1:9/dog.jpg")
                .with_id("fb")
                .with_concepts([Concept::positive("dog")])
                .with_feedback_info(FeedbackInfo::new("annotation", "u", "s").with_output_id("o"))
        )
    );
    ok!(
        PostSearchFeedback,
        app.search_feedback().input(
            Input::with_id_only("red").with_feedback_info(
                FeedbackInfo::new("search_click", "u", "s").with_search_id("q")
            )
        )
    );
    ok!(
        PostCollaborators,
        pat.add_collaborators()
            .collaborator(Collaborator::new("bob", [Scope::of::<scope::GetInputs>()]))
    );
    ok!(ListCollaborators, pat.list_collaborators());
    ok!(DeleteCollaborators, pat.delete_collaborators().ids(["bob"]));
    ok!(PostDatasets, app.add_datasets().dataset(Dataset::new("ds")));
    ok!(
        PostDatasetInputs,
        app.add_dataset_inputs("ds").input_ids(["green"])
    );
    ok!(ListDatasetInputs, app.list_dataset_inputs("ds"));
    ok!(
        PostDatasetVersions,
        app.add_dataset_versions("ds")
            .dataset_version(DatasetVersion::new("v1"))
    );
    ok!(ListDatasetVersions, app.list_dataset_versions("ds"));
    ok!(GetDatasetVersion, app.get_dataset_version("ds", "v1"));
    ok!(ListDatasets, app.list_datasets());
    ok!(GetDataset, app.get_dataset("ds"));
    ok!(
        DeleteDatasetVersions,
        app.delete_dataset_versions("ds").ids(["v1"])
    );
    ok!(DeleteDatasets, app.delete_datasets().ids(["ds"]));
    ok!(PostApps, pat.add_apps().app(App::new("second")));
    ok!(
        PostConceptLanguages,
        app.add_concept_languages("cold")
            .language(ConceptLanguage::new("zh", "冷"))
    );
    ok!(ListConceptLanguages, app.list_concept_languages("cold"));
    ok!(GetConceptLanguage, app.get_concept_language("cold", "zh"));
    ok!(
        PatchConceptLanguages,
        app.patch_concept_languages("cold")
            .language(PatchAction::MERGE, ConceptLanguage::new("zh", "寒冷"))
    );
    ok!(DeleteKey, pat.delete_key(key_id));

    ok!(
        DeleteAnnotation,
        app.delete_annotation("green", annotation_id)
    );
    ok!(
        DeleteAnnotations,
        app.delete_annotations()
            .with(|r| r.input_ids.push("red".into()))
    );
    ok!(
        DeleteModelVersion,
        app.delete_model_version("warmth", version)
    );
    ok!(DeleteModel, app.delete_model("warmth"));
    ok!(
        PostModels,
        app.add_model()
            .model(Model::new("spare").with_concepts([Concept::new("warm")]))
    );
    ok!(DeleteModels, app.delete_models().ids(["spare"]));
    ok!(DeleteWorkflow, app.delete_workflow("colours"));
    ok!(
        PostWorkflows,
        app.add_workflows().workflow(Workflow::new(
            "spare",
            [WorkflowNode::new("c", Model::new("color-recognition"))]
        ))
    );
    ok!(DeleteWorkflows, app.delete_workflows().ids(["spare"]));
    ok!(DeleteInput, app.delete_input("green"));
    ok!(DeleteInputs, app.delete_inputs().ids(["red", "blue"]));
    let left = ok!(ListInputs, app.list_inputs());
    assert!(left.inputs.is_empty());

    let missed: Vec<&str> = Rpc::ALL
        .iter()
        .filter(|r| !seen.contains(r))
        .map(|r| r.name())
        .collect();
    assert!(missed.is_empty(), "endpoints not exercised: {missed:?}");
}

#[tokio::test]
async fn a_key_holding_less_than_its_type_claims_gets_the_typed_11007() {
    let emu = emulator().await;
    // The real key holds Predict only; the type claims AddInputs too.
    let secret = emu.create_key(&[Scope::of::<scope::Predict>()]);
    let app = client(&emu, TaggerKey::new(secret).unwrap());
    let err = app
        .add_inputs()
        .input(Input::from_bytes(png([1, 1, 1])))
        .await
        .unwrap_err();
    let Error::InsufficientScopes(e) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(e.rpc, Rpc::PostInputs);
    assert_eq!(e.key_type, "TaggerKey");
    assert!(e.needed.contains(&Scope::of::<scope::AddInputs>()));
    assert_eq!(
        e.declared,
        [
            Scope::of::<scope::Predict>(),
            Scope::of::<scope::AddInputs>()
        ]
    );
    let text = err.to_string();
    assert!(
        text.contains("PostInputs") && text.contains("Inputs:Add") && text.contains("TaggerKey"),
        "{text}"
    );
}

#[tokio::test]
async fn a_missing_depending_scope_is_withheld_in_redact_mode_and_refused_in_strict_mode() {
    let emu = emulator().await;
    let app = client(
        &emu,
        TaggerKey::new(emu.create_key(&scopes::<TaggerKey>())).unwrap(),
    );
    let response = app
        .predict("general-image-recognition")
        .input(Input::from_bytes(png([250, 10, 10])))
        .await
        .unwrap();
    let concepts = response.outputs[0].concepts();
    assert!(
        matches!(concepts, Redacted::Withheld { ref scope } if *scope == Scope::of::<scope::GetConcepts>()),
        "{concepts:?}"
    );

    // The same call by a key type that holds the scope sees the concepts.
    let reader = client(
        &emu,
        Claims::new(emu.create_key(&scopes::<Claims>())).unwrap(),
    );
    let seen = reader
        .predict("general-image-recognition")
        .input(Input::from_bytes(png([250, 10, 10])))
        .await
        .unwrap();
    assert!(
        seen.outputs[0]
            .concepts()
            .visible()
            .is_some_and(|c| !c.is_empty())
    );

    emu.set_mode(Mode::Strict);
    let err = app
        .predict("general-image-recognition")
        .input(Input::from_bytes(png([250, 10, 10])))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InsufficientScopes(_)), "{err:?}");
}

#[tokio::test]
async fn verify_scopes_reports_missing_and_undeclared_scopes() {
    let emu = emulator().await;
    let exact = client(
        &emu,
        Claims::new(emu.create_key(&scopes::<Claims>())).unwrap(),
    );
    let report = exact.verify_scopes().await.unwrap();
    assert!(
        report.missing.is_empty() && report.undeclared.is_empty(),
        "{report}"
    );

    let short = client(
        &emu,
        Claims::new(emu.create_key(&[Scope::of::<scope::Predict>()])).unwrap(),
    );
    // A drift is a report, read in one step; `into_result` makes it an error for `?`.
    let report = short.verify_scopes().await.unwrap();
    assert!(!report.is_granted());
    assert!(
        report.missing.contains(&Scope::of::<scope::Search>()),
        "{report}"
    );
    let text = report.to_string();
    assert!(
        text.contains("Search (Search in the Clarifai portal)")
            && text.contains("AddInputs (Inputs:Add in the Clarifai portal)"),
        "{text}"
    );
    let Error::ScopesNotGranted(report) = report.into_result().unwrap_err() else {
        panic!()
    };
    assert_eq!(report.key_type, "Claims");

    let wide = client(
        &emu,
        PredictOnly::new(emu.create_key(&[
            Scope::of::<scope::Predict>(),
            Scope::of::<scope::DeleteInputs>(),
        ]))
        .unwrap(),
    );
    let report = wide.verify_scopes().await.unwrap();
    assert!(
        report
            .undeclared
            .contains(&Scope::of::<scope::DeleteInputs>()),
        "{report}"
    );
    assert!(report.to_string().contains("least privilege"));
}

#[tokio::test]
async fn narrowing_shares_the_client_and_keeps_working() {
    let emu = emulator().await;
    let wide = client(
        &emu,
        Claims::new(emu.create_key(&scopes::<Claims>())).unwrap(),
    );
    let narrow: Client<PredictOnly> = wide.narrow();
    let response = narrow
        .predict("color-recognition")
        .input(Input::from_bytes(png([0, 0, 255])))
        .await
        .unwrap();
    assert_eq!(response.outputs.len(), 1);
    assert_eq!(narrow.base_url(), wide.base_url());
}

#[tokio::test]
async fn a_pat_uses_full_paths_and_a_pat_client_needs_ids() {
    let emu = emulator().await;
    let secret = emu.create_pat();
    let err = Client::builder(PatKey::new(secret.clone()).unwrap())
        .base_url(emu.base_url())
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("user_app"), "{err}");
    let pat = Client::builder(PatKey::new(secret).unwrap())
        .base_url(emu.base_url())
        .user_app(emu.user_id(), emu.app_id())
        .build()
        .unwrap();
    let call = pat.list_inputs();
    assert_eq!(
        call.path().unwrap(),
        format!("/v2/users/{}/apps/{}/inputs", emu.user_id(), emu.app_id())
    );
    call.await.unwrap();
    pat.list_keys().await.unwrap();
}

#[tokio::test]
async fn a_run_time_key_becomes_typed_only_when_the_server_confirms_its_scopes() {
    let emu = emulator().await;
    let unverified = Client::builder(
        UnverifiedKey::new(emu.create_key(&[Scope::of::<scope::Predict>()])).unwrap(),
    )
    .base_url(emu.base_url())
    .build()
    .unwrap();
    let typed: Client<PredictOnly> = unverified.confirm().await.unwrap();
    typed
        .predict("color-recognition")
        .input(Input::from_bytes(png([9, 9, 9])))
        .await
        .unwrap();
    let refused = unverified.confirm::<TaggerKey>().await.unwrap_err();
    assert!(
        matches!(refused, Error::ScopesNotGranted(ref r) if r.missing.contains(&Scope::of::<scope::AddInputs>())),
        "{refused}"
    );
}

#[tokio::test]
async fn unknown_and_malformed_keys_and_missing_things_are_told_apart() {
    let emu = emulator().await;
    let unknown = client(
        &emu,
        PredictOnly::new("not-a-real-key-only-for-tests").unwrap(),
    );
    let err = unknown
        .predict("color-recognition")
        .input(Input::from_url("http://127.0.0.1:9/x.png"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::UnknownKey { .. }), "{err:?}");
    assert!(!format!("{err:?} {err}").contains("not-a-real-key-only-for-tests"));

    let app = client(
        &emu,
        FullKey::new(emu.create_key(&[Scope::of::<scope::All>()])).unwrap(),
    );
    let err = app.get_input("nope").await.unwrap_err();
    assert!(matches!(err, Error::NotFound { .. }), "{err:?}");
    let err = app
        .add_inputs()
        .inputs((0..129).map(|i| Input::from_url(format!("http://127.0.0.1:9/{i}.png"))))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::BadRequest { .. }), "{err:?}");
}

/// A raw HTTP/1.1 answer that closes the connection.
fn raw_answer(status: &str, content_type: &str, body: &str) -> String {
    format!(
        "HTTP/1.1 {status}\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )
}

/// A client of `key` for a test server at `addr`, without retries.
fn client_at<K: Key>(key: K, addr: std::net::SocketAddr) -> Client<K> {
    Client::builder(key)
        .base_url(format!("http://{addr}"))
        .retry(clarifai_typed::RetryPolicy::never())
        .build()
        .unwrap()
}

/// A server that answers every request with `answer`, once it has read the request.
async fn answering(answer: String) -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        while let Ok((mut socket, _)) = listener.accept().await {
            let mut buf = [0u8; 4096];
            let _ = socket.read(&mut buf).await;
            let _ = socket.write_all(answer.as_bytes()).await;
        }
    });
    addr
}

#[tokio::test]
async fn an_html_error_page_is_a_decode_error_with_an_excerpt() {
    // An HTML page, as a proxy in front of the API answers.
    let body = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    let addr = answering(raw_answer("502 Bad Gateway", "text/html", body)).await;
    let app = client_at(PredictOnly::new("secret-sentinel").unwrap(), addr);
    let err = app.predict("m").await.unwrap_err();
    let Error::Decode {
        http_status,
        excerpt,
        ..
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(*http_status, 502);
    assert!(excerpt.contains("502 Bad Gateway"));
    assert!(err.is_transient());
    assert!(!format!("{err:?}").contains("secret-sentinel"));
}

#[tokio::test]
async fn a_redirect_is_not_followed_and_says_where_it_points() {
    let answer = "HTTP/1.1 308 Permanent Redirect\r\nlocation: https://api.clarifai.com/v2/models/m/outputs\r\ncontent-length: 0\r\n\r\n";
    let addr = answering(answer.to_owned()).await;
    let app = client_at(PredictOnly::new("secret-sentinel").unwrap(), addr);
    let err = app.predict("m").await.unwrap_err();
    assert!(matches!(err, Error::Usage(_)), "{err:?}");
    let text = err.to_string();
    assert!(
        text.contains("HTTP 308")
            && text.contains("\"https://api.clarifai.com/v2/models/m/outputs\"")
            && text.contains("set the base URL"),
        "{text}"
    );
}

#[tokio::test]
async fn a_transport_error_ends_with_its_innermost_cause() {
    // A port nobody listens on.
    let addr = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let app = client_at(PredictOnly::new("secret-sentinel").unwrap(), addr);
    let err = app.predict("m").await.unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    let text = err.to_string();
    assert!(
        text.starts_with("PostModelOutputs: could not connect: ") && text.contains("refused"),
        "{text}"
    );
}

/// The child of `a_proxy_named_by_the_environment_carries_the_calls`: a client of a host that
/// does not exist, in an environment whose `HTTP_PROXY` is the parent's stand-in proxy.
#[tokio::test]
#[ignore = "run by a_proxy_named_by_the_environment_carries_the_calls, in a child process"]
async fn proxy_child() {
    if std::env::var_os("CLARIFAI_PROXY_CHILD").is_none() {
        return;
    }
    let app = Client::builder(FullKey::new("proxy-child-key").unwrap())
        .base_url("http://api.clarifai.invalid")
        .retry(clarifai_typed::RetryPolicy::never())
        .build()
        .unwrap();
    let listed = app.list_inputs().await.unwrap();
    println!("LISTED {} INPUTS THROUGH THE PROXY", listed.inputs.len());
}

#[test]
fn a_proxy_named_by_the_environment_carries_the_calls() {
    // The built-in transport does not speak to proxies: the client sends through reqwest when
    // the environment names one for the base URL. A stand-in proxy answers one request.
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let proxy = listener.local_addr().unwrap();
    let server = std::thread::spawn(move || {
        let (socket, _) = listener.accept().unwrap();
        let mut reader = BufReader::new(socket);
        let mut head = String::new();
        while reader.read_line(&mut head).unwrap() > 2 {}
        let body = r#"{"status":{"code":10000,"description":"Ok"},"inputs":[]}"#;
        let answer = raw_answer("200 OK", "application/json", body);
        reader.get_mut().write_all(answer.as_bytes()).unwrap();
        head
    });
    let output = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "proxy_child", "--ignored", "--nocapture"])
        .env("CLARIFAI_PROXY_CHILD", "1")
        .env("HTTP_PROXY", format!("http://{proxy}"))
        .env_remove("http_proxy")
        .env_remove("NO_PROXY")
        .env_remove("no_proxy")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && stdout.contains("LISTED 0 INPUTS THROUGH THE PROXY"),
        "the child failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let head = server.join().unwrap();
    // A forward proxy is sent the whole URL, and the key (the proxy is trusted with it).
    assert!(
        head.starts_with("GET http://api.clarifai.invalid/v2/inputs"),
        "{head}"
    );
    assert!(
        head.to_ascii_lowercase()
            .contains("authorization: key proxy-child-key"),
        "{head}"
    );
}

#[tokio::test]
async fn a_batch_answered_in_another_order_gives_each_input_its_own_stored_copy() {
    // A server that stores every batch and answers its inputs in reverse order.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        while let Ok((mut socket, _)) = listener.accept().await {
            let mut buf = Vec::new();
            let mut chunk = [0u8; 4096];
            let sent: serde_json::Value = loop {
                let Ok(n) = socket.read(&mut chunk).await else {
                    break serde_json::Value::Null;
                };
                buf.extend_from_slice(&chunk[..n]);
                let body = buf
                    .windows(4)
                    .position(|w| w == b"\r\n\r\n")
                    .map(|end| &buf[end + 4..]);
                if let Some(v) = body.and_then(|b| serde_json::from_slice(b).ok()) {
                    break v;
                }
                if n == 0 {
                    break serde_json::Value::Null;
                }
            };
            let mut stored: Vec<serde_json::Value> = sent["inputs"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|i| {
                serde_json::json!({
                    "id": i["id"],
                    "created_at": "2026-11-29T10:00:00Z",
                    "data": {"image": {"url": format!("https://stored.example/{}", i["id"].as_str().unwrap_or(""))}},
                })
            })
            .collect();
            stored.reverse();
            let body = serde_json::json!({"status": {"code": 10000}, "inputs": stored}).to_string();
            let answer = raw_answer("200 OK", "application/json", &body);
            let _ = socket.write_all(answer.as_bytes()).await;
        }
    });
    let app = client_at(FullKey::new("secret-sentinel").unwrap(), addr);
    let inputs = ["a", "b", "c"]
        .map(|id| Input::from_url(format!("https://example.com/{id}.png")).with_id(id));
    let outcomes = app.add_inputs_batched(inputs).await.unwrap();
    let answered: Vec<(String, String)> = outcomes
        .iter()
        .map(|o| {
            let input = o.done().unwrap();
            let url = input
                .data
                .as_ref()
                .and_then(|d| d.image.as_ref())
                .map(|i| i.url.clone());
            (input.id.clone(), url.unwrap_or_default())
        })
        .collect();
    assert_eq!(
        answered,
        ["a", "b", "c"].map(|id| (id.to_string(), format!("https://stored.example/{id}")))
    );
    assert!(
        outcomes
            .iter()
            .all(|o| o.done().unwrap().created_at.is_some())
    );
}

// The endpoints Clarifai's official clients use (issue 10): what each one does, through the
// typed client.

/// Reads models and searches.
#[scoped_key(GetModels)]
pub struct ModelReader;

/// Searches, but may not save searches.
#[scoped_key(Search, GetInputs, GetConcepts, GetSavedSearch)]
pub struct Searcher;

fn pat_client(emu: &RunningEmulator) -> Client<PatKey> {
    Client::builder(PatKey::new(emu.create_pat()).unwrap())
        .base_url(emu.base_url())
        .user_app(emu.user_id(), emu.app_id())
        .build()
        .unwrap()
}

fn names(models: &[Model]) -> Vec<&str> {
    models.iter().map(|m| m.name.as_str()).collect()
}

#[tokio::test]
async fn models_are_found_by_name_pattern_and_output_type() {
    let (emu, app) = full_app().await;
    app.add_model()
        .model(
            Model::new("pets")
                .with_name("My Pets")
                .with_concepts([Concept::new("dog")]),
        )
        .await
        .unwrap();
    let reader = client(
        &emu,
        ModelReader::new(emu.create_key(&scopes::<ModelReader>())).unwrap(),
    );
    // Case-insensitive, `*` anywhere; the app's models and the public ones.
    let found = reader
        .search_models()
        .query(ModelQuery::name("*PET*"))
        .await
        .unwrap();
    assert_eq!(names(&found.models), ["My Pets"]);
    let general = reader
        .search_models()
        .query(ModelQuery::name("general*"))
        .await
        .unwrap();
    assert!(!general.models.is_empty());
    assert!(
        general
            .models
            .iter()
            .all(|m| m.name.to_lowercase().starts_with("general")),
        "{:?}",
        names(&general.models)
    );
    // `type` filters on `output_info.type`.
    let colours = reader
        .search_models()
        .query(ModelQuery::name("*").with_type("color"))
        .await
        .unwrap();
    assert!(!colours.models.is_empty());
    for m in &colours.models {
        assert_eq!(m.output_info.as_ref().unwrap().r#type, "color");
    }
    let concepts = reader
        .search_models()
        .query(ModelQuery::name("*").with_type("concept"))
        .await
        .unwrap();
    assert!(names(&concepts.models).contains(&"My Pets"));
    assert!(
        !names(&concepts.models)
            .iter()
            .any(|n| colours.models.iter().any(|c| c.name == *n))
    );
    // Nothing matches: an empty list, not an error.
    let none = reader
        .search_models()
        .query(ModelQuery::name("no-such-model*"))
        .await
        .unwrap();
    assert!(none.models.is_empty());
    // A key without `Concepts:Get` sees the models, with their concepts withheld.
    let pets = &found.models[0];
    let data = pets.output_info.as_ref().unwrap().data.as_ref();
    assert!(data.is_none_or(|d| d.concepts.is_withheld()), "{pets:?}");
    // The public app, with a PAT: the public models.
    let public = Client::builder(PatKey::new(emu.create_pat()).unwrap())
        .base_url(emu.base_url())
        .user_app("clarifai", "main")
        .build()
        .unwrap();
    let found = public
        .search_models()
        .query(ModelQuery::name("*general*"))
        .await
        .unwrap();
    assert!(!found.models.is_empty());
    assert!(found.models.iter().all(|m| m.app_id == "main"));
    assert!(!names(&found.models).contains(&"My Pets"));
}

#[tokio::test]
async fn a_user_level_client_lists_the_models_of_every_app() {
    let emu = emulator().await;
    let pat = pat_client(&emu);
    emu.create_app("second");
    let second = Client::builder(PatKey::new(emu.create_pat()).unwrap())
        .base_url(emu.base_url())
        .user_app(emu.user_id(), "second")
        .build()
        .unwrap();
    pat.add_model()
        .model(Model::new("in-main").with_concepts([Concept::new("a")]))
        .await
        .unwrap();
    second
        .add_model()
        .model(Model::new("in-second").with_concepts([Concept::new("b")]))
        .await
        .unwrap();

    let user = Client::builder(PatKey::new(emu.create_pat()).unwrap())
        .base_url(emu.base_url())
        .user("me")
        .build()
        .unwrap();
    let call = user.list_models();
    assert_eq!(call.path().unwrap(), "/v2/users/me/models");
    let listed = call.await.unwrap();
    let mut ids: Vec<(&str, &str)> = listed
        .models
        .iter()
        .map(|m| (m.app_id.as_str(), m.id.as_str()))
        .collect();
    ids.sort_unstable();
    assert_eq!(ids, [("main", "in-main"), ("second", "in-second")]);
    // Pages across the apps.
    let first = user.list_models().page(1, 1).await.unwrap();
    assert_eq!(first.models.len(), 1);
    // An endpoint that needs an app is a usage error on a user-level client, not a request.
    let err = user.list_inputs().path().unwrap_err();
    assert!(err.to_string().contains("needs an app"), "{err}");

    // An app key on the user-level path reaches its own app.
    let app_key =
        Client::builder(ModelReader::new(emu.create_key(&scopes::<ModelReader>())).unwrap())
            .base_url(emu.base_url())
            .user("me")
            .build()
            .unwrap();
    let own = app_key.list_models().await.unwrap();
    assert!(own.models.iter().any(|m| m.id == "in-main"));
    assert!(!own.models.iter().any(|m| m.id == "in-second"));
}

#[tokio::test]
async fn feedback_is_validated_and_acknowledged() {
    let (_emu, app) = full_app().await;
    let info = FeedbackInfo::new("annotation", "end-user", "session").with_output_id("o1");
    let input = Input::from_url("http://127.0.0.1:9/dog.jpg")
        .with_id("xyz")
        .with_concepts([Concept::positive("dog"), Concept::negative("cat")]);
    let ok = app
        .model_feedback("aaa03c23b3724a16a56b629203edc62c")
        .input(input.clone().with_feedback_info(info.clone()))
        .await
        .unwrap();
    assert_eq!(ok.status.code, StatusCode::SUCCESS);
    // On a version (the setter of the optional path parameter).
    let versions = app
        .list_model_versions("general-image-recognition")
        .await
        .unwrap();
    let call = app
        .model_feedback("general-image-recognition")
        .version(versions.model_versions[0].id.clone())
        .input(input.clone().with_feedback_info(info.clone()));
    assert!(call.path().unwrap().contains("/versions/"));
    call.await.unwrap();
    // Without `feedback_info`, or for a model that does not exist: refused.
    let err = app
        .model_feedback("general-image-recognition")
        .input(input.clone())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::BadRequest { .. }), "{err:?}");
    let err = app
        .model_feedback("no-such-model")
        .input(input.with_feedback_info(info))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::NotFound { .. }), "{err:?}");

    let click = FeedbackInfo::new("search_click", "end-user", "session").with_search_id("s-1");
    app.search_feedback()
        .input(Input::with_id_only("xyz").with_feedback_info(click))
        .await
        .unwrap();
    let no_search = FeedbackInfo::new("search_click", "end-user", "session");
    let err = app
        .search_feedback()
        .input(Input::with_id_only("xyz").with_feedback_info(no_search))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::BadRequest { .. }), "{err:?}");
}

#[tokio::test]
async fn an_evaluation_is_queued_then_finished_in_the_background() {
    let (emu, app) = full_app().await;
    let inputs = [
        ("r1", [250, 10, 10], "warm"),
        ("r2", [230, 40, 20], "warm"),
        ("b1", [10, 10, 250], "cold"),
        ("b2", [20, 40, 230], "cold"),
    ];
    app.add_inputs()
        .inputs(inputs.iter().map(|(id, rgb, c)| {
            Input::from_bytes(png(*rgb))
                .with_id(*id)
                .with_concepts([Concept::positive(*c)])
        }))
        .await
        .unwrap();
    emu.wait_idle().await;
    app.add_model()
        .model(Model::new("temp").with_concepts([Concept::new("warm"), Concept::new("cold")]))
        .await
        .unwrap();
    let trained = app.train_model("temp").await.unwrap();
    let version = trained.model.unwrap().model_version.unwrap().id;
    // Training is asynchronous too: only a trained version is evaluated.
    emu.wait_idle().await;

    let before = app.model_version_metrics("temp", &version).await.unwrap();
    assert_eq!(
        evaluation_status(&before),
        Some(StatusCode::MODEL_NOT_EVALUATED)
    );
    let queued = app.evaluate_model_version("temp", &version).await.unwrap();
    assert_eq!(
        evaluation_status(&queued),
        Some(StatusCode::MODEL_QUEUED_FOR_EVALUATION)
    );
    let mut done = None;
    for _ in 0..200 {
        let r = app.model_version_metrics("temp", &version).await.unwrap();
        if evaluation_status(&r) == Some(StatusCode::MODEL_EVALUATED) {
            done = Some(r);
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    let done = done.expect("the evaluation finishes");
    let summary = done
        .model_version
        .unwrap()
        .metrics
        .unwrap()
        .summary
        .expect("a summary");
    // Two well-separated colours: every input's best concept is its label.
    assert_eq!(summary.top1_accuracy, 1.0);
    assert_eq!(summary.macro_avg_roc_auc, 1.0);
    assert!(summary.macro_avg_f1_score > 0.99, "{summary:?}");

    // A concept the inputs carry only as a negative label is evaluated as predictions score it
    // (how unlike those inputs an image is), as the official suites label and evaluate.
    app.add_inputs()
        .input(
            Input::from_bytes(png([128, 128, 128]))
                .with_id("g1")
                .with_concepts([Concept::negative("dull")]),
        )
        .await
        .unwrap();
    emu.wait_idle().await;
    app.add_model()
        .model(Model::new("dull").with_concepts([Concept::new("dull")]))
        .await
        .unwrap();
    let trained = app.train_model("dull").await.unwrap();
    let dull = trained.model.unwrap().model_version.unwrap().id;
    emu.wait_idle().await;
    app.evaluate_model_version("dull", &dull).await.unwrap();
    emu.wait_idle().await;
    let r = app.model_version_metrics("dull", &dull).await.unwrap();
    assert_eq!(evaluation_status(&r), Some(StatusCode::MODEL_EVALUATED));

    // A version that is not trained is not evaluated; nor is a model that does not exist.
    app.add_model()
        .model(Model::new("fresh").with_concepts([Concept::new("warm")]))
        .await
        .unwrap();
    let fresh = app.list_model_versions("fresh").await.unwrap();
    let err = app
        .evaluate_model_version("fresh", fresh.model_versions[0].id.clone())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::BadRequest { .. }), "{err:?}");
    let err = app.evaluate_model_version("nope", "v").await.unwrap_err();
    assert!(matches!(err, Error::NotFound { .. }), "{err:?}");
}

#[tokio::test]
async fn saved_searches_are_stored_and_run_again() {
    let (emu, app) = full_app().await;
    app.add_inputs()
        .inputs([
            Input::from_bytes(png([250, 10, 10]))
                .with_id("a")
                .with_concepts([Concept::positive("tag")]),
            Input::from_bytes(png([10, 250, 10])).with_id("b"),
        ])
        .await
        .unwrap();
    emu.wait_idle().await;
    let tagged = Query::ands([clarifai_typed::models::And::input(Input::from_data(
        Data::default().with_concepts([Concept::positive("tag")]),
    ))]);
    // Saving runs nothing.
    let saved = app
        .search()
        .save_as("tagged", tagged.clone())
        .await
        .unwrap();
    assert!(saved.hits.is_empty());
    assert_eq!(saved.searches[0].id, "tagged");
    let err = app.search().save_as("tagged", tagged).await.unwrap_err();
    assert!(matches!(err, Error::BadRequest { .. }), "{err:?}");

    let run = app.run_saved_search("tagged").await.unwrap();
    let hit_ids = |r: &clarifai_typed::models::MultiSearchResponse| -> Vec<String> {
        r.hits
            .iter()
            .filter_map(|h| {
                h.input
                    .visible()
                    .and_then(|i| i.as_ref())
                    .map(|i| i.id.clone())
            })
            .collect()
    };
    assert_eq!(hit_ids(&run), ["a"]);
    assert_eq!(run.hits[0].score, 1.0);
    // The search runs on the inputs as they are now.
    app.patch_inputs()
        .input(
            PatchAction::MERGE,
            Input::with_id_only("b").with_concepts([Concept::positive("tag")]),
        )
        .await
        .unwrap();
    let mut again = hit_ids(&app.run_saved_search("tagged").await.unwrap());
    again.sort();
    assert_eq!(again, ["a", "b"]);

    // `as_of` in the past: inputs added after it are not found.
    let past = clarifai_typed::models::Timestamp::parse("2000-01-01T00:00:00Z").unwrap();
    app.search()
        .with(|r| {
            r.searches.push(
                clarifai_typed::models::SearchSpec::saved(
                    "old",
                    Query::ands([clarifai_typed::models::And::input(Input::from_data(
                        Data::default().with_concepts([Concept::positive("tag")]),
                    ))]),
                )
                .as_of(past),
            );
        })
        .await
        .unwrap();
    assert!(app.run_saved_search("old").await.unwrap().hits.is_empty());

    let got = app.get_saved_search("tagged").await.unwrap();
    assert_eq!(got.search.as_ref().unwrap().id, "tagged");
    assert!(got.search.unwrap().query.is_some());
    let listed = app.list_saved_searches().await.unwrap();
    let ids: Vec<&str> = listed.searches.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["tagged", "old"]);
    app.delete_saved_search("old").await.unwrap();
    let err = app.run_saved_search("old").await.unwrap_err();
    assert!(matches!(err, Error::NotFound { .. }), "{err:?}");

    // Saving needs `SavedSearch:Add`, which this key type does not claim.
    let searcher = client(
        &emu,
        Searcher::new(emu.create_key(&scopes::<Searcher>())).unwrap(),
    );
    let err = searcher
        .search()
        .save_as(
            "mine",
            Query::ands([clarifai_typed::models::And::input(Input::with_id_only("a"))]),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InsufficientScopes(_)), "{err:?}");
    assert_eq!(
        hit_ids(&searcher.run_saved_search("tagged").await.unwrap()).len(),
        2
    );
}

#[tokio::test]
async fn collaborators_are_added_listed_and_removed() {
    let emu = emulator().await;
    let pat = pat_client(&emu);
    let added = pat
        .add_collaborators()
        .collaborator(Collaborator::new(
            "alice",
            [
                Scope::of::<scope::GetInputs>(),
                Scope::of::<scope::Predict>(),
            ],
        ))
        .await
        .unwrap();
    assert_eq!(added.collaborators.len(), 1);
    let listed = pat.list_collaborators().await.unwrap();
    assert_eq!(listed.app_owner.as_ref().unwrap().id, emu.user_id());
    let alice = &listed.collaborators[0];
    assert_eq!(alice.user.as_ref().unwrap().id, "alice");
    assert!(alice.scopes.contains(&Scope::of::<scope::Predict>()));
    // Once per user; never the owner.
    let err = pat
        .add_collaborators()
        .collaborator(Collaborator::new("alice", [Scope::of::<scope::Predict>()]))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::BadRequest { .. }), "{err:?}");
    let err = pat
        .add_collaborators()
        .collaborator(Collaborator::new(
            emu.user_id(),
            [Scope::of::<scope::Predict>()],
        ))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::BadRequest { .. }), "{err:?}");
    // A key grants a collaborator no scope it does not hold.
    let weak = Client::builder(
        PatKey::new(emu.create_pat_with(&[
            Scope::of::<scope::AddCollaborators>(),
            Scope::of::<scope::GetApps>(),
        ]))
        .unwrap(),
    )
    .base_url(emu.base_url())
    .user_app(emu.user_id(), emu.app_id())
    .build()
    .unwrap();
    let err = weak
        .add_collaborators()
        .collaborator(Collaborator::new("mallory", [Scope::of::<scope::All>()]))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InsufficientScopes(_)), "{err:?}");
    // The collaborator endpoints have only full paths: an app key's client needs the ids.
    let app_key = client(
        &emu,
        FullKey::new(emu.create_key(&scopes::<FullKey>())).unwrap(),
    );
    let err = app_key.list_collaborators().path().unwrap_err();
    assert!(err.to_string().contains("only full paths"), "{err}");

    pat.delete_collaborators().ids(["alice"]).await.unwrap();
    assert!(
        pat.list_collaborators()
            .await
            .unwrap()
            .collaborators
            .is_empty()
    );
    let err = pat.delete_collaborators().ids(["alice"]).await.unwrap_err();
    assert!(matches!(err, Error::NotFound { .. }), "{err:?}");
}

#[tokio::test]
async fn dataset_versions_are_pending_then_ready_with_their_counts() {
    let (emu, app) = full_app().await;
    app.add_inputs()
        .inputs([
            Input::from_bytes(png([250, 10, 10]))
                .with_id("one")
                .with_concepts([Concept::positive("red")]),
            Input::from_bytes(png([10, 10, 250])).with_id("two"),
            Input::from_bytes(png([10, 250, 10])).with_id("three"),
        ])
        .await
        .unwrap();
    emu.wait_idle().await;
    app.add_datasets()
        .dataset(Dataset::new("export").with_description("for export"))
        .await
        .unwrap();
    let err = app
        .add_datasets()
        .dataset(Dataset::new("export"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::BadRequest { .. }), "{err:?}");
    let members = app
        .add_dataset_inputs("export")
        .input_ids(["one", "two"])
        .await
        .unwrap();
    assert_eq!(members.dataset_inputs.len(), 2);
    // Adding a member again changes nothing; an unknown input is refused.
    app.add_dataset_inputs("export")
        .input_ids(["one"])
        .await
        .unwrap();
    let err = app
        .add_dataset_inputs("export")
        .input_ids(["nope"])
        .await
        .unwrap_err();
    assert!(matches!(err, Error::NotFound { .. }), "{err:?}");
    assert_eq!(
        app.list_dataset_inputs("export")
            .await
            .unwrap()
            .dataset_inputs
            .len(),
        2
    );

    let made = app
        .add_dataset_versions("export")
        .dataset_version(DatasetVersion::new("v1"))
        .await
        .unwrap();
    assert_eq!(
        made.dataset_versions[0].status.as_ref().map(|s| s.code),
        Some(StatusCode::DATASET_VERSION_PENDING)
    );
    let mut ready = None;
    for _ in 0..200 {
        let v = app
            .get_dataset_version("export", "v1")
            .await
            .unwrap()
            .dataset_version
            .unwrap();
        if v.status.as_ref().map(|s| s.code) == Some(StatusCode::DATASET_VERSION_READY) {
            ready = Some(v);
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    let ready = ready.expect("the version gets ready");
    let counts = &ready.metrics["/"];
    assert_eq!(counts.inputs_count, Some(2));
    assert_eq!(counts.unlabeled_inputs_count, Some(1));
    assert_eq!(counts.positive_input_tags_count, Some(1));
    // The version is a snapshot: a later member is not in it, but in the next one. An input joins
    // a dataset when it is added, too.
    app.add_dataset_inputs("export")
        .input_ids(["three"])
        .await
        .unwrap();
    let mut four = Input::from_bytes(png([200, 200, 10])).with_id("four");
    four.dataset_ids.push("export".into());
    app.add_inputs().input(four).await.unwrap();
    let mut nowhere = Input::from_bytes(png([1, 2, 3])).with_id("five");
    nowhere.dataset_ids.push("no-such-dataset".into());
    let err = app.add_inputs().input(nowhere).await.unwrap_err();
    assert!(matches!(err, Error::NotFound { .. }), "{err:?}");
    assert_eq!(
        app.list_dataset_inputs("export")
            .await
            .unwrap()
            .dataset_inputs
            .len(),
        4
    );
    app.add_dataset_versions("export")
        .dataset_version(DatasetVersion::new("v2"))
        .await
        .unwrap();
    let versions = app.list_dataset_versions("export").await.unwrap();
    let ids: Vec<&str> = versions
        .dataset_versions
        .iter()
        .map(|v| v.id.as_str())
        .collect();
    assert_eq!(ids, ["v2", "v1"]);
    let dataset = app.get_dataset("export").await.unwrap().dataset.unwrap();
    assert_eq!(dataset.description, "for export");
    assert_eq!(dataset.version.as_ref().map(|v| v.id.as_str()), Some("v2"));

    app.delete_dataset_versions("export")
        .ids(["v1"])
        .await
        .unwrap();
    let err = app.get_dataset_version("export", "v1").await.unwrap_err();
    assert!(matches!(err, Error::NotFound { .. }), "{err:?}");
    app.delete_datasets().ids(["export"]).await.unwrap();
    assert!(app.list_datasets().await.unwrap().datasets.is_empty());
    // The inputs stay in the app; the refused upload stored nothing.
    assert_eq!(app.list_inputs().await.unwrap().inputs.len(), 4);
}

#[tokio::test]
async fn a_pat_creates_apps_for_its_own_user() {
    let emu = emulator().await;
    let pat = pat_client(&emu);
    let made = pat
        .add_apps()
        .app(App::new("photos").with_description("holiday pictures"))
        .await
        .unwrap();
    assert_eq!(made.apps[0].id, "photos");
    assert_eq!(made.apps[0].user_id, emu.user_id());
    let listed = pat.list_apps().await.unwrap();
    assert!(listed.apps.iter().any(|a| a.id == "photos"));
    let err = pat.add_apps().app(App::new("photos")).await.unwrap_err();
    assert!(matches!(err, Error::BadRequest { .. }), "{err:?}");
    // A user-level client makes apps too; its apps are the user's.
    let user = Client::builder(PatKey::new(emu.create_pat()).unwrap())
        .base_url(emu.base_url())
        .user(emu.user_id())
        .build()
        .unwrap();
    user.add_apps().app(App::new("videos")).await.unwrap();
    // The new app is reachable at once by the user's PATs.
    let in_videos = Client::builder(PatKey::new(emu.create_pat()).unwrap())
        .base_url(emu.base_url())
        .user_app(emu.user_id(), "videos")
        .build()
        .unwrap();
    assert_eq!(in_videos.get_app().await.unwrap().app.unwrap().id, "videos");
    // A PAT without `Apps:Add` is refused.
    let reader = Client::builder(
        PatKey::new(emu.create_pat_with(&[Scope::of::<scope::GetApps>()])).unwrap(),
    )
    .base_url(emu.base_url())
    .user(emu.user_id())
    .build()
    .unwrap();
    let err = reader.add_apps().app(App::new("nope")).await.unwrap_err();
    assert!(matches!(err, Error::InsufficientScopes(_)), "{err:?}");
    // Nor for another user.
    let other = Client::builder(PatKey::new(emu.create_pat()).unwrap())
        .base_url(emu.base_url())
        .user("someone-else")
        .build()
        .unwrap();
    let err = other.add_apps().app(App::new("theirs")).await.unwrap_err();
    assert!(matches!(err, Error::InvalidKey { .. }), "{err:?}");
}

#[tokio::test]
async fn a_concept_has_names_in_other_languages() {
    let (_emu, app) = full_app().await;
    app.add_concepts()
        .concept(Concept::new("dog").with_name("Dog"))
        .await
        .unwrap();
    app.add_concept_languages("dog")
        .languages([
            ConceptLanguage::new("zh", "狗").with_definition("一种动物"),
            ConceptLanguage::new("ja", "犬"),
        ])
        .await
        .unwrap();
    let listed = app.list_concept_languages("dog").await.unwrap();
    let all: Vec<(&str, &str)> = listed
        .concept_languages
        .iter()
        .map(|l| (l.id.as_str(), l.name.as_str()))
        .collect();
    assert_eq!(all, [("en", "Dog"), ("ja", "犬"), ("zh", "狗")]);
    let zh = app.get_concept_language("dog", "zh").await.unwrap();
    assert_eq!(zh.concept_language.unwrap().definition, "一种动物");
    let err = app
        .add_concept_languages("dog")
        .language(ConceptLanguage::new("zh", "犬"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::BadRequest { .. }), "{err:?}");
    app.patch_concept_languages("dog")
        .language(PatchAction::MERGE, ConceptLanguage::new("ja", "いぬ"))
        .await
        .unwrap();
    let ja = app.get_concept_language("dog", "ja").await.unwrap();
    assert_eq!(ja.concept_language.unwrap().name, "いぬ");
    app.patch_concept_languages("dog")
        .language(PatchAction::REMOVE, ConceptLanguage::new("ja", ""))
        .await
        .unwrap();
    let err = app.get_concept_language("dog", "ja").await.unwrap_err();
    assert!(matches!(err, Error::NotFound { .. }), "{err:?}");
    let err = app.list_concept_languages("cat").await.unwrap_err();
    assert!(matches!(err, Error::NotFound { .. }), "{err:?}");
}

/// The answers the emulator changed for Clarifai's official client suites (issue 10), read
/// through the typed client: every one decodes, and the typed fields hold what the suites read.
#[tokio::test]
async fn what_the_official_suites_read_decodes() {
    use clarifai_emulator::samples::{animated_gif, png as png_of};
    use clarifai_typed::models::{StatusCode, Video};

    let emu = emulator().await;
    let app = client(
        &emu,
        FullKey::new(emu.create_key(&[Scope::of::<scope::All>()])).unwrap(),
    );

    // The catalogue, listed as the legacy client reads it: a created_at on every model, no
    // concepts in a list; a model's concepts carry created_at and no value.
    let models = app.list_models().page(1, 100).await.unwrap().models;
    assert!(models.iter().all(|m| m.created_at.is_some()));
    assert!(models.iter().any(|m| m.name == "general-v1.3"));
    assert!(
        models
            .iter()
            .any(|m| m.id == "bd367be194cf45149e75f01d59f77ba7")
    );
    let info = app
        .model_output_info("aaa03c23b3724a16a56b629203edc62c")
        .await
        .unwrap();
    let model = info.model.unwrap();
    assert_eq!(model.id, "aaa03c23b3724a16a56b629203edc62c");
    let concepts = model
        .output_info
        .and_then(|o| o.data)
        .map(|d| d.concepts.visible().cloned().unwrap_or_default())
        .unwrap();
    assert!(
        !concepts.is_empty()
            && concepts
                .iter()
                .all(|c| c.created_at.is_some() && c.value.is_none())
    );

    // Face regions of a catalogue model.
    let face = png_of(40, 40, |x, y| {
        if (10..30).contains(&x) && (10..30).contains(&y) {
            [224, 172, 140]
        } else {
            [20, 40, 160]
        }
    });
    let out = app
        .predict("c0c0ac362b03416da06ab3fa36fb58e3")
        .input(Input::from_bytes(face.clone()))
        .await
        .unwrap();
    let regions = &out.outputs[0].data.as_ref().unwrap().regions;
    assert_eq!(regions.len(), 1);
    let region_concepts = regions[0]
        .data
        .as_ref()
        .and_then(|d| d.concepts.visible().cloned())
        .unwrap();
    assert!(
        region_concepts
            .iter()
            .any(|c| c.name == "feminine" || c.name == "masculine")
    );

    // A GIF video, frame by frame.
    let gif = animated_gif(8, 8, &[[250, 0, 0], [0, 0, 250]], 1000);
    let mut video = Video::default();
    video.base64 = gif.into();
    let mut data = Data::default();
    data.video = Some(Box::new(video));
    let out = app
        .predict("general-image-recognition")
        .input(Input::from_data(data))
        .await
        .unwrap();
    let frames = &out.outputs[0].data.as_ref().unwrap().frames;
    let times: Vec<u32> = frames
        .iter()
        .map(|f| f.frame_info.as_ref().unwrap().time)
        .collect();
    assert_eq!(times, [500, 1500]);

    // Bytes are hosted: the image's url is its original copy.
    app.add_inputs()
        .input(Input::from_bytes(face).with_id("face"))
        .await
        .unwrap();
    emu.wait_idle().await;
    let input = app.get_input("face").await.unwrap().input.unwrap();
    let image = input.data.unwrap().image.unwrap();
    let hosted = image.hosted.unwrap();
    assert_eq!(hosted.url("orig"), Some(image.url));
    assert!(hosted.url("tiny").is_some());

    // Training: queued, then trained.
    app.add_model()
        .model(Model::new("skin").with_concepts([Concept::new("skin")]))
        .await
        .unwrap();
    app.patch_inputs()
        .input(
            PatchAction::MERGE,
            Input::with_id_only("face").with_concepts([Concept::positive("skin")]),
        )
        .await
        .unwrap();
    let trained = app.train_model("skin").await.unwrap();
    let version = trained.model.unwrap().model_version.unwrap();
    assert_eq!(
        version.status.map(|s| s.code),
        Some(StatusCode::MODEL_QUEUED_FOR_TRAINING)
    );
    emu.wait_idle().await;
    let version = app
        .get_model_version("skin", version.id)
        .await
        .unwrap()
        .model_version
        .unwrap();
    assert_eq!(
        version.status.map(|s| s.code),
        Some(StatusCode::MODEL_TRAINED)
    );

    // The base workflow is listed.
    let workflows = app.list_workflows().await.unwrap().workflows;
    assert!(workflows.iter().any(|w| w.id == "General"));

    // A predict whose only input cannot be downloaded: 30002 at the top, a batch outcome.
    let err = app
        .predict("general-image-recognition")
        .input(Input::from_url("http://127.0.0.1:9/non-existing.jpg"))
        .await
        .unwrap_err();
    let Error::Partial(p) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(p.status.code, StatusCode::INPUT_FAILED);
    assert_eq!(p.items[0].status.code, StatusCode::INPUT_FAILED);

    // A duplicate concept, a duplicate URL.
    app.add_concepts()
        .concept(Concept::new("twice"))
        .await
        .unwrap();
    let err = app
        .add_concepts()
        .concept(Concept::new("twice"))
        .await
        .unwrap_err();
    assert_eq!(
        err.status().map(|s| s.code),
        Some(StatusCode::CONCEPTS_INVALID_REQUEST)
    );
    let url = "http://127.0.0.1:9/once.jpg";
    app.add_inputs()
        .input(Input::from_url(url).allow_duplicate_url(true))
        .await
        .unwrap();
    let err = app
        .add_inputs()
        .input(Input::from_url(url))
        .await
        .unwrap_err();
    assert_eq!(
        err.status().map(|s| s.code),
        Some(StatusCode::INPUT_DUPLICATE)
    );
}
