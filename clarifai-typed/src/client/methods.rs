// One method per endpoint of the table (included by `client/mod.rs`). Each method's `where`
// clause is written by `gated!` from the table's row for its RPC: the gate scopes as `Grants`
// bounds, and for user-level endpoints the PAT bound. No bound is written by hand.

use crate::models::{
    self, Annotation, ApiKey, Concept, ConceptQuery, Input, Model, ModelVersion, OutputConfig,
    Paged, PatchAction, Query, SearchSpec, Workflow,
};

/// What an endpoint's auth type requires of the key type, as a bound named after the table's
/// auth column: `auth::Key` (any key) or `auth::PatOnly` (a personal access token). Both are
/// re-exports, so compiler messages name the public traits.
mod auth {
    pub(crate) use crate::Key;
    pub(crate) use crate::PersonalAccessToken as PatOnly;
}

/// Defines `gated!` from the endpoint table: `gated! { Rpc => fn ... }` writes the method with
/// the bounds of that RPC's row.
macro_rules! define_gated {
    (($d:tt) $(
        $rpc:ident: $method:ident $auth:ident
            short [$($short:literal),*]
            full [$($full:literal),*]
            gate [$($gate:ident),*]
            depending [$($dep:ident),*]
            guards [$($gscope:ident: $gpath:literal),*];
    )*) => {
        macro_rules! gated {
            $(
                ($rpc => $d(#[$d attr:meta])* fn $d name:ident $d args:tt -> $d ret:ty $d body:block) => {
                    $d(#[$d attr])*
                    ///
                    #[doc = concat!(
                        "Calls `", stringify!($rpc), "`",
                        $(" (`", $short, "`)",)?
                        ". Needs the scopes: ", $("`", stringify!($gate), "` ",)* "(checked at compile time)",
                        define_gated!(@pat $auth), "."
                    )]
                    pub fn $d name $d args -> $d ret
                    where
                        K: auth::$auth $(+ crate::Grants<crate::scope::$gate>)*,
                    $d body
                };
            )*
        }
    };
    (@pat Key) => { "" };
    (@pat PatOnly) => { "; a personal access token only (`PatKey`)" };
}

crate::__endpoint_table!(define_gated, ($));

macro_rules! paged_setters {
    ($($request:ty),* $(,)?) => {$(
        impl<K: Key> Call<'_, K, $request> {
            /// Asks for page `page` (from 1) of `per_page` items (at most 1000).
            pub fn page(mut self, page: u32, per_page: u32) -> Self {
                self.request.set_page(page, per_page);
                self
            }
        }
    )*};
}

paged_setters!(
    models::ListInputsRequest,
    models::ListModelsRequest,
    models::ListModelTypesRequest,
    models::ListModelInputsRequest,
    models::ListModelVersionsRequest,
    models::ListConceptsRequest,
    models::GetConceptCountsRequest,
    models::ListWorkflowsRequest,
    models::ListAnnotationsRequest,
    models::ListAppsRequest,
    models::ListKeysRequest,
    models::ListAppKeysRequest,
    models::PostSearchesRequest,
    models::PostInputsSearchesRequest,
    models::PostAnnotationsSearchesRequest,
    models::PostConceptsSearchesRequest,
);

fn id(name: &'static str, value: impl Into<String>) -> Vec<(&'static str, String)> {
    vec![(name, value.into())]
}

impl<K: Key> Client<K> {
    gated! { PostModelOutputs =>
        /// Predicts with model `model_id` (its latest version; see [`Call::version`]).
        fn predict(&self, model_id: impl Into<String>) -> Call<'_, K, models::PostModelOutputsRequest> {
            Call::new(self, id("model_id", model_id))
        }
    }
    gated! { GetModelOutputInfo =>
        /// The output info (concepts, output config) of model `model_id`.
        fn model_output_info(&self, model_id: impl Into<String>) -> Call<'_, K, models::GetModelOutputInfoRequest> {
            Call::new(self, id("model_id", model_id))
        }
    }
    gated! { PostWorkflowResults =>
        /// Runs workflow `workflow_id` on inputs.
        fn predict_workflow(&self, workflow_id: impl Into<String>) -> Call<'_, K, models::PostWorkflowResultsRequest> {
            Call::new(self, id("workflow_id", workflow_id))
        }
    }
    gated! { PostInputs =>
        /// Adds inputs to the app (at most 128 per call).
        fn add_inputs(&self) -> Call<'_, K, models::PostInputsRequest> {
            Call::new(self, Vec::new())
        }
    }
    gated! { ListInputs =>
        /// Lists the app's inputs, a page at a time.
        fn list_inputs(&self) -> Call<'_, K, models::ListInputsRequest> {
            Call::new(self, Vec::new())
        }
    }
    gated! { GetInput =>
        /// Gets input `input_id`.
        fn get_input(&self, input_id: impl Into<String>) -> Call<'_, K, models::GetInputRequest> {
            Call::new(self, id("input_id", input_id))
        }
    }
    gated! { PatchInputs =>
        /// Changes inputs (their concepts, metadata) by id.
        fn patch_inputs(&self) -> Call<'_, K, models::PatchInputsRequest> {
            Call::new(self, Vec::new())
        }
    }
    gated! { DeleteInput =>
        /// Deletes input `input_id`.
        fn delete_input(&self, input_id: impl Into<String>) -> Call<'_, K, models::DeleteInputRequest> {
            Call::new(self, id("input_id", input_id))
        }
    }
    gated! { DeleteInputs =>
        /// Deletes inputs by id (see [`Call::ids`]), or all of them.
        fn delete_inputs(&self) -> Call<'_, K, models::DeleteInputsRequest> {
            Call::new(self, Vec::new())
        }
    }
    gated! { GetInputCount =>
        /// Counts the app's inputs by processing state.
        fn input_count(&self) -> Call<'_, K, models::GetInputCountRequest> {
            Call::new(self, Vec::new())
        }
    }
    gated! { PostSearches =>
        /// Searches inputs with the legacy `query.ands` form (see [`Call::query`]).
        fn search(&self) -> Call<'_, K, models::PostSearchesRequest> {
            Call::new(self, Vec::new())
        }
    }
    gated! { PostInputsSearches =>
        /// Searches inputs with the `searches[].query` form (filters and ranks).
        fn search_inputs(&self) -> Call<'_, K, models::PostInputsSearchesRequest> {
            Call::new(self, Vec::new())
        }
    }
    gated! { PostAnnotationsSearches =>
        /// Searches annotations with the `searches[].query` form.
        fn search_annotations(&self) -> Call<'_, K, models::PostAnnotationsSearchesRequest> {
            Call::new(self, Vec::new())
        }
    }
    gated! { ListModels =>
        /// Lists the app's models.
        fn list_models(&self) -> Call<'_, K, models::ListModelsRequest> {
            Call::new(self, Vec::new())
        }
    }
    gated! { GetModel =>
        /// Gets model `model_id`.
        fn get_model(&self, model_id: impl Into<String>) -> Call<'_, K, models::GetModelRequest> {
            Call::new(self, id("model_id", model_id))
        }
    }
    gated! { PostModels =>
        /// Creates a model (see [`Call::model`]).
        fn add_model(&self) -> Call<'_, K, models::PostModelsRequest> {
            Call::new(self, Vec::new())
        }
    }
    gated! { PatchModels =>
        /// Changes models by id.
        fn patch_models(&self) -> Call<'_, K, models::PatchModelsRequest> {
            Call::new(self, Vec::new())
        }
    }
    gated! { DeleteModel =>
        /// Deletes model `model_id`.
        fn delete_model(&self, model_id: impl Into<String>) -> Call<'_, K, models::DeleteModelRequest> {
            Call::new(self, id("model_id", model_id))
        }
    }
    gated! { DeleteModels =>
        /// Deletes models by id, or all of them.
        fn delete_models(&self) -> Call<'_, K, models::DeleteModelsRequest> {
            Call::new(self, Vec::new())
        }
    }
    gated! { ListModelTypes =>
        /// Lists the kinds of model the API offers.
        fn list_model_types(&self) -> Call<'_, K, models::ListModelTypesRequest> {
            Call::new(self, Vec::new())
        }
    }
    gated! { ListModelInputs =>
        /// Lists the inputs model `model_id` was trained on.
        fn list_model_inputs(&self, model_id: impl Into<String>) -> Call<'_, K, models::ListModelInputsRequest> {
            Call::new(self, id("model_id", model_id))
        }
    }
    gated! { PostModelVersions =>
        /// Trains a new version of model `model_id` on the app's annotated inputs.
        fn train_model(&self, model_id: impl Into<String>) -> Call<'_, K, models::PostModelVersionsRequest> {
            Call::new(self, id("model_id", model_id))
        }
    }
    gated! { ListModelVersions =>
        /// Lists the versions of model `model_id`.
        fn list_model_versions(&self, model_id: impl Into<String>) -> Call<'_, K, models::ListModelVersionsRequest> {
            Call::new(self, id("model_id", model_id))
        }
    }
    gated! { GetModelVersion =>
        /// Gets version `version_id` of model `model_id`.
        fn get_model_version(&self, model_id: impl Into<String>, version_id: impl Into<String>) -> Call<'_, K, models::GetModelVersionRequest> {
            Call::new(self, vec![("model_id", model_id.into()), ("version_id", version_id.into())])
        }
    }
    gated! { DeleteModelVersion =>
        /// Deletes version `version_id` of model `model_id`.
        fn delete_model_version(&self, model_id: impl Into<String>, version_id: impl Into<String>) -> Call<'_, K, models::DeleteModelVersionRequest> {
            Call::new(self, vec![("model_id", model_id.into()), ("version_id", version_id.into())])
        }
    }
    gated! { ListConcepts =>
        /// Lists the app's concepts.
        fn list_concepts(&self) -> Call<'_, K, models::ListConceptsRequest> {
            Call::new(self, Vec::new())
        }
    }
    gated! { GetConcept =>
        /// Gets concept `concept_id`.
        fn get_concept(&self, concept_id: impl Into<String>) -> Call<'_, K, models::GetConceptRequest> {
            Call::new(self, id("concept_id", concept_id))
        }
    }
    gated! { PostConcepts =>
        /// Adds concepts (see [`Call::concept`]).
        fn add_concepts(&self) -> Call<'_, K, models::PostConceptsRequest> {
            Call::new(self, Vec::new())
        }
    }
    gated! { PatchConcepts =>
        /// Changes concepts (their names) by id.
        fn patch_concepts(&self) -> Call<'_, K, models::PatchConceptsRequest> {
            Call::new(self, Vec::new())
        }
    }
    gated! { PostConceptsSearches =>
        /// Searches concepts by name (`dog*`), optionally in a language.
        fn search_concepts(&self, query: ConceptQuery) -> Call<'_, K, models::PostConceptsSearchesRequest> {
            let mut call: Call<'_, K, models::PostConceptsSearchesRequest> = Call::new(self, Vec::new());
            call.request.concept_query = Some(query);
            call
        }
    }
    gated! { GetConceptCounts =>
        /// Counts the inputs labelled with each concept.
        fn concept_counts(&self) -> Call<'_, K, models::GetConceptCountsRequest> {
            Call::new(self, Vec::new())
        }
    }
    gated! { ListWorkflows =>
        /// Lists the app's workflows.
        fn list_workflows(&self) -> Call<'_, K, models::ListWorkflowsRequest> {
            Call::new(self, Vec::new())
        }
    }
    gated! { GetWorkflow =>
        /// Gets workflow `workflow_id`.
        fn get_workflow(&self, workflow_id: impl Into<String>) -> Call<'_, K, models::GetWorkflowRequest> {
            Call::new(self, id("workflow_id", workflow_id))
        }
    }
    gated! { PostWorkflows =>
        /// Creates workflows (see [`Call::workflow`]).
        fn add_workflows(&self) -> Call<'_, K, models::PostWorkflowsRequest> {
            Call::new(self, Vec::new())
        }
    }
    gated! { PatchWorkflows =>
        /// Changes workflows by id.
        fn patch_workflows(&self) -> Call<'_, K, models::PatchWorkflowsRequest> {
            Call::new(self, Vec::new())
        }
    }
    gated! { DeleteWorkflow =>
        /// Deletes workflow `workflow_id`.
        fn delete_workflow(&self, workflow_id: impl Into<String>) -> Call<'_, K, models::DeleteWorkflowRequest> {
            Call::new(self, id("workflow_id", workflow_id))
        }
    }
    gated! { DeleteWorkflows =>
        /// Deletes workflows by id, or all of them.
        fn delete_workflows(&self) -> Call<'_, K, models::DeleteWorkflowsRequest> {
            Call::new(self, Vec::new())
        }
    }
    gated! { ListAnnotations =>
        /// Lists the app's annotations.
        fn list_annotations(&self) -> Call<'_, K, models::ListAnnotationsRequest> {
            Call::new(self, Vec::new())
        }
    }
    gated! { GetAnnotation =>
        /// Gets annotation `annotation_id` of input `input_id`.
        fn get_annotation(&self, input_id: impl Into<String>, annotation_id: impl Into<String>) -> Call<'_, K, models::GetAnnotationRequest> {
            Call::new(self, vec![("input_id", input_id.into()), ("annotation_id", annotation_id.into())])
        }
    }
    gated! { PostAnnotations =>
        /// Adds annotations (see [`Call::annotation`]).
        fn add_annotations(&self) -> Call<'_, K, models::PostAnnotationsRequest> {
            Call::new(self, Vec::new())
        }
    }
    gated! { PatchAnnotations =>
        /// Changes annotations by id.
        fn patch_annotations(&self) -> Call<'_, K, models::PatchAnnotationsRequest> {
            Call::new(self, Vec::new())
        }
    }
    gated! { DeleteAnnotation =>
        /// Deletes annotation `annotation_id` of input `input_id`.
        fn delete_annotation(&self, input_id: impl Into<String>, annotation_id: impl Into<String>) -> Call<'_, K, models::DeleteAnnotationRequest> {
            Call::new(self, vec![("input_id", input_id.into()), ("annotation_id", annotation_id.into())])
        }
    }
    gated! { DeleteAnnotations =>
        /// Deletes annotations by id, or all annotations of some inputs.
        fn delete_annotations(&self) -> Call<'_, K, models::DeleteAnnotationsRequest> {
            Call::new(self, Vec::new())
        }
    }
    gated! { MyScopes =>
        /// The scopes the key really holds, and its app. Any key may ask.
        fn my_scopes(&self) -> Call<'_, K, models::MyScopesRequest> {
            Call::new(self, Vec::new())
        }
    }
    gated! { GetApp =>
        /// The key's app (or the app the client's ids name).
        fn get_app(&self) -> Call<'_, K, models::GetAppRequest> {
            Call::new(self, Vec::new())
        }
    }
    gated! { ListApps =>
        /// The user's apps.
        fn list_apps(&self) -> Call<'_, K, models::ListAppsRequest> {
            Call::new(self, Vec::new())
        }
    }
    gated! { PostKeys =>
        /// Creates keys (see [`Call::api_key`]).
        fn add_keys(&self) -> Call<'_, K, models::PostKeysRequest> {
            Call::new(self, Vec::new())
        }
    }
    gated! { ListKeys =>
        /// Lists the user's keys.
        fn list_keys(&self) -> Call<'_, K, models::ListKeysRequest> {
            Call::new(self, Vec::new())
        }
    }
    gated! { GetKey =>
        /// Gets key `key_id`.
        fn get_key(&self, key_id: impl Into<String>) -> Call<'_, K, models::GetKeyRequest> {
            Call::new(self, id("key_id", key_id))
        }
    }
    gated! { PatchKeys =>
        /// Changes keys (description, scopes, expiry) by id.
        fn patch_keys(&self) -> Call<'_, K, models::PatchKeysRequest> {
            Call::new(self, Vec::new())
        }
    }
    gated! { DeleteKey =>
        /// Deletes key `key_id`.
        fn delete_key(&self, key_id: impl Into<String>) -> Call<'_, K, models::DeleteKeyRequest> {
            Call::new(self, id("key_id", key_id))
        }
    }
    gated! { ListAppKeys =>
        /// Lists the keys of the client's app.
        fn list_app_keys(&self) -> Call<'_, K, models::ListAppKeysRequest> {
            Call::new(self, Vec::new())
        }
    }
}

impl<K: Key> Call<'_, K, models::PostModelOutputsRequest> {
    /// Uses version `version_id` of the model instead of its latest.
    pub fn version(mut self, version_id: impl Into<String>) -> Self {
        self.params.retain(|(n, _)| *n != "version_id");
        self.params.push(("version_id", version_id.into()));
        self
    }

    /// Sets the per-request output configuration (`max_concepts`, `min_value`, language,
    /// `select_concepts`).
    pub fn output_config(mut self, config: OutputConfig) -> Self {
        self.request.model = Some(Model::default().with_output_config(config));
        self
    }
}

/// Setters that add one item to a list of the request (`$one`), or several (`$many`).
macro_rules! push_setters {
    ($($request:ty => $field:ident: $item:ty, $one:ident $(/ $many:ident)?, $doc:literal;)*) => {$(
        impl<K: Key> Call<'_, K, $request> {
            #[doc = $doc]
            pub fn $one(mut self, item: $item) -> Self {
                self.request.$field.push(item);
                self
            }
            $(
                #[doc = $doc]
                #[doc = ""]
                #[doc = "Several at once."]
                pub fn $many(mut self, items: impl IntoIterator<Item = $item>) -> Self {
                    self.request.$field.extend(items);
                    self
                }
            )?
        }
    )*};
}

push_setters! {
    models::PostModelOutputsRequest => inputs: Input, input / inputs, "Adds an input to predict on (at most 128 per call; see `predict_batched` for more).";
    models::PostWorkflowResultsRequest => inputs: Input, input / inputs, "Adds an input to run the workflow on.";
    models::PostInputsRequest => inputs: Input, input / inputs, "Adds an input to upload (at most 128 per call; see `add_inputs_batched` for more). Give it an id (`Input::with_id`) to make the upload safe to repeat.";
    models::PostModelVersionsRequest => model_versions: ModelVersion, model_version, "Adds a model version description to train (usually none: the server makes one).";
    models::PostConceptsRequest => concepts: Concept, concept / concepts, "Adds a concept to create.";
    models::PostWorkflowsRequest => workflows: Workflow, workflow, "Adds a workflow to create.";
    models::PostAnnotationsRequest => annotations: Annotation, annotation / annotations, "Adds an annotation.";
    models::PostKeysRequest => keys: ApiKey, api_key, "Adds a key to create.";
}

/// Setters that add one item to change by id, with the patch action (merge, remove, overwrite).
macro_rules! patch_setters {
    ($($request:ty => $field:ident: $item:ty, $one:ident, $doc:literal;)*) => {$(
        impl<K: Key> Call<'_, K, $request> {
            #[doc = $doc]
            pub fn $one(mut self, action: PatchAction, item: $item) -> Self {
                self.request.action = action;
                self.request.$field.push(item);
                self
            }
        }
    )*};
}

patch_setters! {
    models::PatchInputsRequest => inputs: Input, input, "Adds an input to change (by its id) with `action`.";
    models::PatchModelsRequest => models: Model, model, "Adds a model to change (by its id) with `action`.";
    models::PatchConceptsRequest => concepts: Concept, concept, "Adds a concept to change (by its id) with `action`.";
    models::PatchWorkflowsRequest => workflows: Workflow, workflow, "Adds a workflow to change (by its id) with `action`.";
    models::PatchAnnotationsRequest => annotations: Annotation, annotation, "Adds an annotation to change (by its id) with `action`.";
    models::PatchKeysRequest => keys: ApiKey, api_key, "Adds a key to change (by its id) with `action`.";
}

macro_rules! ids_setter {
    ($($request:ty),*) => {$(
        impl<K: Key> Call<'_, K, $request> {
            /// The ids to delete.
            pub fn ids(mut self, ids: impl IntoIterator<Item = impl Into<String>>) -> Self {
                self.request.ids.extend(ids.into_iter().map(Into::into));
                self
            }
        }
    )*};
}
ids_setter!(
    models::DeleteInputsRequest,
    models::DeleteModelsRequest,
    models::DeleteWorkflowsRequest,
    models::DeleteAnnotationsRequest
);

/// Setters for the search query, legacy (`query`) and new (`searches[]`).
macro_rules! query_setters {
    ($($request:ty => |$r:ident, $q:ident| $set:expr, $doc:literal;)*) => {$(
        impl<K: Key> Call<'_, K, $request> {
            #[doc = $doc]
            pub fn query(mut self, $q: Query) -> Self {
                let $r = &mut self.request;
                $set;
                self
            }
        }
    )*};
}

query_setters! {
    models::PostSearchesRequest => |r, q| r.query = Some(q), "The legacy query (`query.ands`).";
    models::PostInputsSearchesRequest => |r, q| r.searches.push(SearchSpec::new(q)), "Adds a search (`searches[]`).";
    models::PostAnnotationsSearchesRequest => |r, q| r.searches.push(SearchSpec::new(q)), "Adds a search (`searches[]`).";
}

impl<K: Key> Call<'_, K, models::PostModelsRequest> {
    /// The model to create.
    pub fn model(mut self, model: Model) -> Self {
        self.request.model = Some(model);
        self
    }
}
