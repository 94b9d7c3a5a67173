//! The [`Client`] type and its methods: the hand-written ones first, then one method per
//! endpoint, generated from the endpoint rows. Both live in this module so that compiler notes
//! name a method `Client::<K>::delete_inputs` (rustc prints the module path of an impl that is
//! not beside its type).

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::HeaderValue;

use super::usage::{CallCounts, CallLog};
use super::{
    Call, ClientBuilder, Error, PathArgs, RetryPolicy, ScopeReport, Shared, UnverifiedKey,
};
use crate::endpoint::PathParam;
use crate::key::Internal;
use crate::{Grants, Key, NarrowFrom, PersonalAccessToken};

/// A Clarifai API client whose methods are the endpoints key type `K` may call.
///
/// Cheap to clone: clones share the connection pool. Make one with [`Client::new`] or
/// [`Client::builder`].
pub struct Client<K: Key> {
    inner: Arc<Inner<K>>,
}

struct Inner<K> {
    shared: Arc<Shared>,
    key: K,
    auth: HeaderValue,
    calls: CallCounts,
}

impl<K: Key> Clone for Client<K> {
    fn clone(&self) -> Self {
        Client {
            inner: Arc::clone(&self.inner),
        }
    }
}

impl<K: Key> fmt::Debug for Client<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("key", &self.inner.key)
            .field("base_url", &self.inner.shared.base_url)
            .field(
                "user_id",
                &self.inner.shared.ids.as_ref().map(|i| &i.user_id),
            )
            .field(
                "app_id",
                &self
                    .inner
                    .shared
                    .ids
                    .as_ref()
                    .and_then(|i| i.app_id.as_ref()),
            )
            .finish()
    }
}

impl<K: Key> Client<K> {
    /// A client with the default settings: base URL from `CLARIFAI_API_BASE` or
    /// `https://api.clarifai.com`, short paths (the app is the key's).
    ///
    /// # Errors
    ///
    /// As [`ClientBuilder::build`].
    pub fn new(key: K) -> Result<Client<K>, Error> {
        Client::builder(key).build()
    }

    /// A builder for a client with `key`.
    pub fn builder(key: K) -> ClientBuilder<K> {
        ClientBuilder {
            key,
            base_url: None,
            ids: None,
            timeout: Some(Duration::from_secs(60)),
            connect_timeout: Duration::from_secs(10),
            user_agent: concat!("clarifai-typed/", env!("CARGO_PKG_VERSION")).to_owned(),
            http: None,
            retry: RetryPolicy::default(),
            batch_concurrency: 4,
        }
    }

    /// The key.
    pub fn key(&self) -> &K {
        &self.inner.key
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        &self.inner.shared.base_url
    }

    /// The same client for a key type with fewer scopes, sharing the connection pool. Refused at
    /// compile time when `T` holds a scope `K` lacks.
    pub fn narrow<T: NarrowFrom<K>>(&self) -> Client<T> {
        let key: T = T::__from_secret(self.inner.key.__secret().clone(), Internal(()));
        Client {
            inner: Arc::new(Inner {
                shared: Arc::clone(&self.inner.shared),
                key,
                auth: self.inner.auth.clone(),
                calls: CallCounts::new(),
            }),
        }
    }

    /// Asks the server which scopes the real key holds (`GET /v2/myscopes`) and compares them
    /// with the key type's: the report lists the declared scopes the real key lacks (calls
    /// needing them will be refused) and the granted ones the type does not declare (least
    /// privilege). A drift is in the report, not an error: print it, or turn it into one with
    /// [`ScopeReport::into_result`].
    ///
    /// ```no_run
    /// # use clarifai_typed::{Client, scoped_key};
    /// # #[scoped_key(Predict)] pub struct AppKey;
    /// # async fn run(client: Client<AppKey>) -> Result<(), clarifai_typed::Error> {
    /// let report = client.verify_scopes().await?;
    /// println!("{report}");
    /// // or, to stop when the real key lacks a declared scope:
    /// client.verify_scopes().await?.into_result()?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// Any error of the `my_scopes` call itself.
    pub async fn verify_scopes(&self) -> Result<ScopeReport, Error> {
        let granted = self.my_scopes().await?.scopes;
        Ok(ScopeReport::compare(K::NAME, K::SCOPES, &granted))
    }

    /// A client from its parts (the builder's work).
    pub(super) fn from_parts(shared: Arc<Shared>, key: K, auth: HeaderValue) -> Client<K> {
        Client {
            inner: Arc::new(Inner {
                shared,
                key,
                auth,
                calls: CallCounts::new(),
            }),
        }
    }

    /// The endpoints this client (and its clones) called, and what they say about the key
    /// type: the scopes the calls may use, the smallest declaration covering them, and the
    /// declared scopes no call used. See [`CallLog`].
    pub fn calls(&self) -> CallLog {
        self.inner.calls.log::<K>()
    }

    pub(crate) fn record_call(&self, rpc: crate::endpoint::Rpc) {
        self.inner.calls.record(rpc);
    }

    pub(crate) fn shared(&self) -> &Shared {
        &self.inner.shared
    }

    pub(crate) fn auth(&self) -> &HeaderValue {
        &self.inner.auth
    }
}

impl Client<UnverifiedKey> {
    /// Turns this client into one for key type `T`, after the server confirms that the key holds
    /// every scope of `T` (`GET /v2/myscopes`). For keys read at run time whose scopes the code
    /// cannot know in advance.
    ///
    /// # Errors
    ///
    /// [`Error::ScopesNotGranted`] naming the scopes the key lacks; any error of the call.
    pub async fn confirm<T: Key>(&self) -> Result<Client<T>, Error> {
        let granted = self.my_scopes().await?.scopes;
        let report = ScopeReport::compare(T::NAME, T::SCOPES, &granted);
        if !report.missing.is_empty() {
            return Err(Error::ScopesNotGranted(Box::new(report)));
        }
        let key = T::__from_secret(self.inner.key.__secret().clone(), Internal(()));
        Ok(Client {
            inner: Arc::new(Inner {
                shared: Arc::clone(&self.inner.shared),
                key,
                auth: self.inner.auth.clone(),
                calls: CallCounts::new(),
            }),
        })
    }
}

// @generated below by clarifai-codegen from clarifai-catalogue/src/endpoints.rs: do not edit
// what follows; change the endpoint's row there, then run `cargo run -p clarifai-codegen`.
use crate::models::{
    DeleteAnnotationRequest, DeleteAnnotationsRequest, DeleteCollaboratorsRequest,
    DeleteDatasetVersionsRequest, DeleteDatasetsRequest, DeleteInputRequest, DeleteInputsRequest,
    DeleteKeyRequest, DeleteModelRequest, DeleteModelVersionRequest, DeleteModelsRequest,
    DeleteSearchRequest, DeleteWorkflowRequest, DeleteWorkflowsRequest, GetAnnotationRequest,
    GetAppRequest, GetConceptCountsRequest, GetConceptLanguageRequest, GetConceptRequest,
    GetDatasetRequest, GetDatasetVersionRequest, GetInputCountRequest, GetInputRequest,
    GetKeyRequest, GetModelOutputInfoRequest, GetModelRequest, GetModelVersionMetricsRequest,
    GetModelVersionRequest, GetSearchRequest, GetWorkflowRequest, ListAnnotationsRequest,
    ListAppKeysRequest, ListAppsRequest, ListCollaboratorsRequest, ListConceptLanguagesRequest,
    ListConceptsRequest, ListDatasetInputsRequest, ListDatasetVersionsRequest, ListDatasetsRequest,
    ListInputsRequest, ListKeysRequest, ListModelInputsRequest, ListModelTypesRequest,
    ListModelVersionsRequest, ListModelsRequest, ListSearchesRequest, ListWorkflowsRequest,
    MyScopesRequest, PatchAnnotationsRequest, PatchConceptLanguagesRequest, PatchConceptsRequest,
    PatchInputsRequest, PatchKeysRequest, PatchModelsRequest, PatchWorkflowsRequest,
    PostAnnotationsRequest, PostAnnotationsSearchesRequest, PostAppsRequest,
    PostCollaboratorsRequest, PostConceptLanguagesRequest, PostConceptsRequest,
    PostConceptsSearchesRequest, PostDatasetInputsRequest, PostDatasetVersionsRequest,
    PostDatasetsRequest, PostInputsRequest, PostInputsSearchesRequest, PostKeysRequest,
    PostModelFeedbackRequest, PostModelOutputsRequest, PostModelVersionMetricsRequest,
    PostModelVersionsRequest, PostModelsRequest, PostModelsSearchesRequest,
    PostSearchFeedbackRequest, PostSearchesByIDRequest, PostSearchesRequest,
    PostWorkflowResultsRequest, PostWorkflowsRequest,
};
use crate::scope::{
    AddAnnotations, AddApps, AddCollaborators, AddConcepts, AddDatasets, AddInputs, AddKeys,
    AddMetrics, AddModels, AddWorkflows, DeleteAnnotations, DeleteCollaborators, DeleteDatasets,
    DeleteInputs, DeleteKeys, DeleteModels, DeleteSavedSearch, DeleteWorkflows, GetAnnotations,
    GetApps, GetCollaborators, GetConcepts, GetDatasets, GetInputs, GetKeys, GetMetrics, GetModels,
    GetSavedSearch, GetWorkflows, Predict, Search, TrainModels,
};

impl<K: Key> Client<K> {
    /// Predicts with model `model_id` (its latest version, unless one is set).
    ///
    /// `POST /v2/models/{model_id}/outputs` ([`Rpc::PostModelOutputs`](crate::Rpc)). Needs the scope [`Predict`](crate::scope::Predict) (`Predict`), checked at compile time. Optional: [`Call::version`] (`{version_id}`).
    pub fn predict(&self, model_id: impl Into<String>) -> Call<'_, K, PostModelOutputsRequest>
    where
        K: Grants<Predict>,
    {
        Call::new(
            self,
            PathArgs::from([(PathParam::ModelId, model_id.into())]),
        )
    }

    /// The output info (concepts, output config) of model `model_id`.
    ///
    /// `GET /v2/models/{model_id}/output_info` ([`Rpc::GetModelOutputInfo`](crate::Rpc)). Needs the scope [`GetModels`](crate::scope::GetModels) (`Models:Get`), checked at compile time. Optional: [`Call::version`] (`{version_id}`).
    pub fn model_output_info(
        &self,
        model_id: impl Into<String>,
    ) -> Call<'_, K, GetModelOutputInfoRequest>
    where
        K: Grants<GetModels>,
    {
        Call::new(
            self,
            PathArgs::from([(PathParam::ModelId, model_id.into())]),
        )
    }

    /// Runs workflow `workflow_id` on inputs.
    ///
    /// `POST /v2/workflows/{workflow_id}/results` ([`Rpc::PostWorkflowResults`](crate::Rpc)). Needs the scopes [`Predict`](crate::scope::Predict) (`Predict`) and [`GetWorkflows`](crate::scope::GetWorkflows) (`Workflows:Get`), checked at compile time. Optional: [`Call::version`] (`{version_id}`).
    pub fn predict_workflow(
        &self,
        workflow_id: impl Into<String>,
    ) -> Call<'_, K, PostWorkflowResultsRequest>
    where
        K: Grants<Predict> + Grants<GetWorkflows>,
    {
        Call::new(
            self,
            PathArgs::from([(PathParam::WorkflowId, workflow_id.into())]),
        )
    }

    /// Adds inputs to the app (at most 128 per call).
    ///
    /// `POST /v2/inputs` ([`Rpc::PostInputs`](crate::Rpc)). Needs the scope [`AddInputs`](crate::scope::AddInputs) (`Inputs:Add`), checked at compile time.
    pub fn add_inputs(&self) -> Call<'_, K, PostInputsRequest>
    where
        K: Grants<AddInputs>,
    {
        Call::new(self, PathArgs::new())
    }

    /// Lists the app's inputs, a page at a time.
    ///
    /// `GET /v2/inputs` ([`Rpc::ListInputs`](crate::Rpc)). Needs the scope [`GetInputs`](crate::scope::GetInputs) (`Inputs:Get`), checked at compile time. A paged list: see [`Call::pages`] and [`Call::items`].
    pub fn list_inputs(&self) -> Call<'_, K, ListInputsRequest>
    where
        K: Grants<GetInputs>,
    {
        Call::new(self, PathArgs::new())
    }

    /// Gets input `input_id`.
    ///
    /// `GET /v2/inputs/{input_id}` ([`Rpc::GetInput`](crate::Rpc)). Needs the scope [`GetInputs`](crate::scope::GetInputs) (`Inputs:Get`), checked at compile time.
    pub fn get_input(&self, input_id: impl Into<String>) -> Call<'_, K, GetInputRequest>
    where
        K: Grants<GetInputs>,
    {
        Call::new(
            self,
            PathArgs::from([(PathParam::InputId, input_id.into())]),
        )
    }

    /// Changes inputs (their concepts, metadata) by id.
    ///
    /// `PATCH /v2/inputs` ([`Rpc::PatchInputs`](crate::Rpc)). Needs the scope [`AddInputs`](crate::scope::AddInputs) (`Inputs:Add`), checked at compile time.
    pub fn patch_inputs(&self) -> Call<'_, K, PatchInputsRequest>
    where
        K: Grants<AddInputs>,
    {
        Call::new(self, PathArgs::new())
    }

    /// Deletes input `input_id`.
    ///
    /// `DELETE /v2/inputs/{input_id}` ([`Rpc::DeleteInput`](crate::Rpc)). Needs the scope [`DeleteInputs`](crate::scope::DeleteInputs) (`Inputs:Delete`), checked at compile time.
    pub fn delete_input(&self, input_id: impl Into<String>) -> Call<'_, K, DeleteInputRequest>
    where
        K: Grants<DeleteInputs>,
    {
        Call::new(
            self,
            PathArgs::from([(PathParam::InputId, input_id.into())]),
        )
    }

    /// Deletes inputs by id (see [`Call::ids`]), or all of them.
    ///
    /// `DELETE /v2/inputs` ([`Rpc::DeleteInputs`](crate::Rpc)). Needs the scope [`DeleteInputs`](crate::scope::DeleteInputs) (`Inputs:Delete`), checked at compile time.
    pub fn delete_inputs(&self) -> Call<'_, K, DeleteInputsRequest>
    where
        K: Grants<DeleteInputs>,
    {
        Call::new(self, PathArgs::new())
    }

    /// Counts the app's inputs by processing state.
    ///
    /// `GET /v2/inputs/status` ([`Rpc::GetInputCount`](crate::Rpc)). Needs the scope [`GetInputs`](crate::scope::GetInputs) (`Inputs:Get`), checked at compile time.
    pub fn input_count(&self) -> Call<'_, K, GetInputCountRequest>
    where
        K: Grants<GetInputs>,
    {
        Call::new(self, PathArgs::new())
    }

    /// Searches inputs with the legacy `query.ands` form (see [`Call::query`]).
    ///
    /// `POST /v2/searches` ([`Rpc::PostSearches`](crate::Rpc)). Needs the scope [`Search`](crate::scope::Search) (`Search`), checked at compile time. A paged list: see [`Call::pages`] and [`Call::items`].
    pub fn search(&self) -> Call<'_, K, PostSearchesRequest>
    where
        K: Grants<Search>,
    {
        Call::new(self, PathArgs::new())
    }

    /// Searches inputs with the `searches[].query` form (filters and ranks).
    ///
    /// `POST /v2/inputs/searches` ([`Rpc::PostInputsSearches`](crate::Rpc)). Needs the scope [`Search`](crate::scope::Search) (`Search`), checked at compile time. A paged list: see [`Call::pages`] and [`Call::items`].
    pub fn search_inputs(&self) -> Call<'_, K, PostInputsSearchesRequest>
    where
        K: Grants<Search>,
    {
        Call::new(self, PathArgs::new())
    }

    /// Searches annotations with the `searches[].query` form.
    ///
    /// `POST /v2/annotations/searches` ([`Rpc::PostAnnotationsSearches`](crate::Rpc)). Needs the scope [`Search`](crate::scope::Search) (`Search`), checked at compile time. A paged list: see [`Call::pages`] and [`Call::items`].
    pub fn search_annotations(&self) -> Call<'_, K, PostAnnotationsSearchesRequest>
    where
        K: Grants<Search>,
    {
        Call::new(self, PathArgs::new())
    }

    /// Lists the app's models.
    ///
    /// `GET /v2/models` ([`Rpc::ListModels`](crate::Rpc)). Needs the scope [`GetModels`](crate::scope::GetModels) (`Models:Get`), checked at compile time. On a client with a user id and no app ([`ClientBuilder::user`](crate::ClientBuilder::user)): `GET /v2/users/{user_id}/models`, every app of the user. A paged list: see [`Call::pages`] and [`Call::items`].
    pub fn list_models(&self) -> Call<'_, K, ListModelsRequest>
    where
        K: Grants<GetModels>,
    {
        Call::new(self, PathArgs::new())
    }

    /// Gets model `model_id`.
    ///
    /// `GET /v2/models/{model_id}` ([`Rpc::GetModel`](crate::Rpc)). Needs the scope [`GetModels`](crate::scope::GetModels) (`Models:Get`), checked at compile time.
    pub fn get_model(&self, model_id: impl Into<String>) -> Call<'_, K, GetModelRequest>
    where
        K: Grants<GetModels>,
    {
        Call::new(
            self,
            PathArgs::from([(PathParam::ModelId, model_id.into())]),
        )
    }

    /// Creates a model (see [`Call::model`]).
    ///
    /// `POST /v2/models` ([`Rpc::PostModels`](crate::Rpc)). Needs the scope [`AddModels`](crate::scope::AddModels) (`Models:Add`), checked at compile time.
    pub fn add_model(&self) -> Call<'_, K, PostModelsRequest>
    where
        K: Grants<AddModels>,
    {
        Call::new(self, PathArgs::new())
    }

    /// Changes models by id.
    ///
    /// `PATCH /v2/models` ([`Rpc::PatchModels`](crate::Rpc)). Needs the scope [`AddModels`](crate::scope::AddModels) (`Models:Add`), checked at compile time.
    pub fn patch_models(&self) -> Call<'_, K, PatchModelsRequest>
    where
        K: Grants<AddModels>,
    {
        Call::new(self, PathArgs::new())
    }

    /// Deletes model `model_id`.
    ///
    /// `DELETE /v2/models/{model_id}` ([`Rpc::DeleteModel`](crate::Rpc)). Needs the scope [`DeleteModels`](crate::scope::DeleteModels) (`Models:Delete`), checked at compile time.
    pub fn delete_model(&self, model_id: impl Into<String>) -> Call<'_, K, DeleteModelRequest>
    where
        K: Grants<DeleteModels>,
    {
        Call::new(
            self,
            PathArgs::from([(PathParam::ModelId, model_id.into())]),
        )
    }

    /// Deletes models by id, or all of them.
    ///
    /// `DELETE /v2/models` ([`Rpc::DeleteModels`](crate::Rpc)). Needs the scope [`DeleteModels`](crate::scope::DeleteModels) (`Models:Delete`), checked at compile time.
    pub fn delete_models(&self) -> Call<'_, K, DeleteModelsRequest>
    where
        K: Grants<DeleteModels>,
    {
        Call::new(self, PathArgs::new())
    }

    /// Lists the kinds of model the API offers.
    ///
    /// `GET /v2/models/types` ([`Rpc::ListModelTypes`](crate::Rpc)). Needs the scope [`GetModels`](crate::scope::GetModels) (`Models:Get`), checked at compile time. A paged list: see [`Call::pages`] and [`Call::items`].
    pub fn list_model_types(&self) -> Call<'_, K, ListModelTypesRequest>
    where
        K: Grants<GetModels>,
    {
        Call::new(self, PathArgs::new())
    }

    /// Lists the inputs model `model_id` was trained on.
    ///
    /// `GET /v2/models/{model_id}/inputs` ([`Rpc::ListModelInputs`](crate::Rpc)). Needs the scopes [`GetModels`](crate::scope::GetModels) (`Models:Get`) and [`GetInputs`](crate::scope::GetInputs) (`Inputs:Get`), checked at compile time. A paged list: see [`Call::pages`] and [`Call::items`]. Optional: [`Call::version`] (`{version_id}`).
    pub fn list_model_inputs(
        &self,
        model_id: impl Into<String>,
    ) -> Call<'_, K, ListModelInputsRequest>
    where
        K: Grants<GetModels> + Grants<GetInputs>,
    {
        Call::new(
            self,
            PathArgs::from([(PathParam::ModelId, model_id.into())]),
        )
    }

    /// Trains a new version of model `model_id` on the app's annotated inputs.
    ///
    /// `POST /v2/models/{model_id}/versions` ([`Rpc::PostModelVersions`](crate::Rpc)). Needs the scope [`TrainModels`](crate::scope::TrainModels) (`Models:Train`), checked at compile time.
    pub fn train_model(&self, model_id: impl Into<String>) -> Call<'_, K, PostModelVersionsRequest>
    where
        K: Grants<TrainModels>,
    {
        Call::new(
            self,
            PathArgs::from([(PathParam::ModelId, model_id.into())]),
        )
    }

    /// Lists the versions of model `model_id`.
    ///
    /// `GET /v2/models/{model_id}/versions` ([`Rpc::ListModelVersions`](crate::Rpc)). Needs the scope [`GetModels`](crate::scope::GetModels) (`Models:Get`), checked at compile time. A paged list: see [`Call::pages`] and [`Call::items`].
    pub fn list_model_versions(
        &self,
        model_id: impl Into<String>,
    ) -> Call<'_, K, ListModelVersionsRequest>
    where
        K: Grants<GetModels>,
    {
        Call::new(
            self,
            PathArgs::from([(PathParam::ModelId, model_id.into())]),
        )
    }

    /// Gets version `version_id` of model `model_id`.
    ///
    /// `GET /v2/models/{model_id}/versions/{version_id}` ([`Rpc::GetModelVersion`](crate::Rpc)). Needs the scope [`GetModels`](crate::scope::GetModels) (`Models:Get`), checked at compile time.
    pub fn get_model_version(
        &self,
        model_id: impl Into<String>,
        version_id: impl Into<String>,
    ) -> Call<'_, K, GetModelVersionRequest>
    where
        K: Grants<GetModels>,
    {
        Call::new(
            self,
            PathArgs::from([
                (PathParam::ModelId, model_id.into()),
                (PathParam::VersionId, version_id.into()),
            ]),
        )
    }

    /// Deletes version `version_id` of model `model_id`.
    ///
    /// `DELETE /v2/models/{model_id}/versions/{version_id}` ([`Rpc::DeleteModelVersion`](crate::Rpc)). Needs the scope [`DeleteModels`](crate::scope::DeleteModels) (`Models:Delete`), checked at compile time.
    pub fn delete_model_version(
        &self,
        model_id: impl Into<String>,
        version_id: impl Into<String>,
    ) -> Call<'_, K, DeleteModelVersionRequest>
    where
        K: Grants<DeleteModels>,
    {
        Call::new(
            self,
            PathArgs::from([
                (PathParam::ModelId, model_id.into()),
                (PathParam::VersionId, version_id.into()),
            ]),
        )
    }

    /// Lists the app's concepts.
    ///
    /// `GET /v2/concepts` ([`Rpc::ListConcepts`](crate::Rpc)). Needs the scope [`GetConcepts`](crate::scope::GetConcepts) (`Concepts:Get`), checked at compile time. A paged list: see [`Call::pages`] and [`Call::items`].
    pub fn list_concepts(&self) -> Call<'_, K, ListConceptsRequest>
    where
        K: Grants<GetConcepts>,
    {
        Call::new(self, PathArgs::new())
    }

    /// Gets concept `concept_id`.
    ///
    /// `GET /v2/concepts/{concept_id}` ([`Rpc::GetConcept`](crate::Rpc)). Needs the scope [`GetConcepts`](crate::scope::GetConcepts) (`Concepts:Get`), checked at compile time.
    pub fn get_concept(&self, concept_id: impl Into<String>) -> Call<'_, K, GetConceptRequest>
    where
        K: Grants<GetConcepts>,
    {
        Call::new(
            self,
            PathArgs::from([(PathParam::ConceptId, concept_id.into())]),
        )
    }

    /// Adds concepts (see [`Call::concept`]).
    ///
    /// `POST /v2/concepts` ([`Rpc::PostConcepts`](crate::Rpc)). Needs the scope [`AddConcepts`](crate::scope::AddConcepts) (`Concepts:Add`), checked at compile time.
    pub fn add_concepts(&self) -> Call<'_, K, PostConceptsRequest>
    where
        K: Grants<AddConcepts>,
    {
        Call::new(self, PathArgs::new())
    }

    /// Changes concepts (their names) by id.
    ///
    /// `PATCH /v2/concepts` ([`Rpc::PatchConcepts`](crate::Rpc)). Needs the scope [`AddConcepts`](crate::scope::AddConcepts) (`Concepts:Add`), checked at compile time.
    pub fn patch_concepts(&self) -> Call<'_, K, PatchConceptsRequest>
    where
        K: Grants<AddConcepts>,
    {
        Call::new(self, PathArgs::new())
    }

    /// Searches concepts by name (`dog*`), optionally in a language.
    ///
    /// `POST /v2/concepts/searches` ([`Rpc::PostConceptsSearches`](crate::Rpc)). Needs the scope [`GetConcepts`](crate::scope::GetConcepts) (`Concepts:Get`), checked at compile time. A paged list: see [`Call::pages`] and [`Call::items`].
    pub fn search_concepts(&self) -> Call<'_, K, PostConceptsSearchesRequest>
    where
        K: Grants<GetConcepts>,
    {
        Call::new(self, PathArgs::new())
    }

    /// Counts the inputs labelled with each concept.
    ///
    /// `GET /v2/concepts/status` ([`Rpc::GetConceptCounts`](crate::Rpc)). Needs the scope [`GetConcepts`](crate::scope::GetConcepts) (`Concepts:Get`), checked at compile time. A paged list: see [`Call::pages`] and [`Call::items`].
    pub fn concept_counts(&self) -> Call<'_, K, GetConceptCountsRequest>
    where
        K: Grants<GetConcepts>,
    {
        Call::new(self, PathArgs::new())
    }

    /// Lists the app's workflows.
    ///
    /// `GET /v2/workflows` ([`Rpc::ListWorkflows`](crate::Rpc)). Needs the scope [`GetWorkflows`](crate::scope::GetWorkflows) (`Workflows:Get`), checked at compile time. A paged list: see [`Call::pages`] and [`Call::items`].
    pub fn list_workflows(&self) -> Call<'_, K, ListWorkflowsRequest>
    where
        K: Grants<GetWorkflows>,
    {
        Call::new(self, PathArgs::new())
    }

    /// Gets workflow `workflow_id`.
    ///
    /// `GET /v2/workflows/{workflow_id}` ([`Rpc::GetWorkflow`](crate::Rpc)). Needs the scope [`GetWorkflows`](crate::scope::GetWorkflows) (`Workflows:Get`), checked at compile time.
    pub fn get_workflow(&self, workflow_id: impl Into<String>) -> Call<'_, K, GetWorkflowRequest>
    where
        K: Grants<GetWorkflows>,
    {
        Call::new(
            self,
            PathArgs::from([(PathParam::WorkflowId, workflow_id.into())]),
        )
    }

    /// Creates workflows (see [`Call::workflow`]).
    ///
    /// `POST /v2/workflows` ([`Rpc::PostWorkflows`](crate::Rpc)). Needs the scope [`AddWorkflows`](crate::scope::AddWorkflows) (`Workflows:Add`), checked at compile time.
    pub fn add_workflows(&self) -> Call<'_, K, PostWorkflowsRequest>
    where
        K: Grants<AddWorkflows>,
    {
        Call::new(self, PathArgs::new())
    }

    /// Changes workflows by id.
    ///
    /// `PATCH /v2/workflows` ([`Rpc::PatchWorkflows`](crate::Rpc)). Needs the scope [`AddWorkflows`](crate::scope::AddWorkflows) (`Workflows:Add`), checked at compile time.
    pub fn patch_workflows(&self) -> Call<'_, K, PatchWorkflowsRequest>
    where
        K: Grants<AddWorkflows>,
    {
        Call::new(self, PathArgs::new())
    }

    /// Deletes workflow `workflow_id`.
    ///
    /// `DELETE /v2/workflows/{workflow_id}` ([`Rpc::DeleteWorkflow`](crate::Rpc)). Needs the scope [`DeleteWorkflows`](crate::scope::DeleteWorkflows) (`Workflows:Delete`), checked at compile time.
    pub fn delete_workflow(
        &self,
        workflow_id: impl Into<String>,
    ) -> Call<'_, K, DeleteWorkflowRequest>
    where
        K: Grants<DeleteWorkflows>,
    {
        Call::new(
            self,
            PathArgs::from([(PathParam::WorkflowId, workflow_id.into())]),
        )
    }

    /// Deletes workflows by id, or all of them.
    ///
    /// `DELETE /v2/workflows` ([`Rpc::DeleteWorkflows`](crate::Rpc)). Needs the scope [`DeleteWorkflows`](crate::scope::DeleteWorkflows) (`Workflows:Delete`), checked at compile time.
    pub fn delete_workflows(&self) -> Call<'_, K, DeleteWorkflowsRequest>
    where
        K: Grants<DeleteWorkflows>,
    {
        Call::new(self, PathArgs::new())
    }

    /// Lists the app's annotations.
    ///
    /// `GET /v2/annotations` ([`Rpc::ListAnnotations`](crate::Rpc)). Needs the scope [`GetAnnotations`](crate::scope::GetAnnotations) (`Annotations:Get`), checked at compile time. A paged list: see [`Call::pages`] and [`Call::items`].
    pub fn list_annotations(&self) -> Call<'_, K, ListAnnotationsRequest>
    where
        K: Grants<GetAnnotations>,
    {
        Call::new(self, PathArgs::new())
    }

    /// Gets annotation `annotation_id` of input `input_id`.
    ///
    /// `GET /v2/inputs/{input_id}/annotations/{annotation_id}` ([`Rpc::GetAnnotation`](crate::Rpc)). Needs the scope [`GetAnnotations`](crate::scope::GetAnnotations) (`Annotations:Get`), checked at compile time.
    pub fn get_annotation(
        &self,
        input_id: impl Into<String>,
        annotation_id: impl Into<String>,
    ) -> Call<'_, K, GetAnnotationRequest>
    where
        K: Grants<GetAnnotations>,
    {
        Call::new(
            self,
            PathArgs::from([
                (PathParam::InputId, input_id.into()),
                (PathParam::AnnotationId, annotation_id.into()),
            ]),
        )
    }

    /// Adds annotations (see [`Call::annotation`]).
    ///
    /// `POST /v2/annotations` ([`Rpc::PostAnnotations`](crate::Rpc)). Needs the scope [`AddAnnotations`](crate::scope::AddAnnotations) (`Annotations:Add`), checked at compile time.
    pub fn add_annotations(&self) -> Call<'_, K, PostAnnotationsRequest>
    where
        K: Grants<AddAnnotations>,
    {
        Call::new(self, PathArgs::new())
    }

    /// Changes annotations by id.
    ///
    /// `PATCH /v2/annotations` ([`Rpc::PatchAnnotations`](crate::Rpc)). Needs the scope [`AddAnnotations`](crate::scope::AddAnnotations) (`Annotations:Add`), checked at compile time.
    pub fn patch_annotations(&self) -> Call<'_, K, PatchAnnotationsRequest>
    where
        K: Grants<AddAnnotations>,
    {
        Call::new(self, PathArgs::new())
    }

    /// Deletes annotation `annotation_id` of input `input_id`.
    ///
    /// `DELETE /v2/inputs/{input_id}/annotations/{annotation_id}` ([`Rpc::DeleteAnnotation`](crate::Rpc)). Needs the scope [`DeleteAnnotations`](crate::scope::DeleteAnnotations) (`Annotations:Delete`), checked at compile time.
    pub fn delete_annotation(
        &self,
        input_id: impl Into<String>,
        annotation_id: impl Into<String>,
    ) -> Call<'_, K, DeleteAnnotationRequest>
    where
        K: Grants<DeleteAnnotations>,
    {
        Call::new(
            self,
            PathArgs::from([
                (PathParam::InputId, input_id.into()),
                (PathParam::AnnotationId, annotation_id.into()),
            ]),
        )
    }

    /// Deletes annotations by id, or all annotations of some inputs.
    ///
    /// `DELETE /v2/inputs/annotations` ([`Rpc::DeleteAnnotations`](crate::Rpc)). Needs the scope [`DeleteAnnotations`](crate::scope::DeleteAnnotations) (`Annotations:Delete`), checked at compile time.
    pub fn delete_annotations(&self) -> Call<'_, K, DeleteAnnotationsRequest>
    where
        K: Grants<DeleteAnnotations>,
    {
        Call::new(self, PathArgs::new())
    }

    /// The scopes the key really holds, and its app. Any key may ask.
    ///
    /// `GET /v2/myscopes` ([`Rpc::MyScopes`](crate::Rpc)). Any key may call it: it needs no scope.
    pub fn my_scopes(&self) -> Call<'_, K, MyScopesRequest> {
        Call::new(self, PathArgs::new())
    }

    /// The key's app (or the app the client's ids name).
    ///
    /// `GET /v2/app` ([`Rpc::GetApp`](crate::Rpc)). Needs the scope [`GetApps`](crate::scope::GetApps) (`Apps:Get`), checked at compile time.
    pub fn get_app(&self) -> Call<'_, K, GetAppRequest>
    where
        K: Grants<GetApps>,
    {
        Call::new(self, PathArgs::new())
    }

    /// The user's apps.
    ///
    /// `GET /v2/apps` ([`Rpc::ListApps`](crate::Rpc)). Needs the scope [`GetApps`](crate::scope::GetApps) (`Apps:Get`), checked at compile time. Only a personal access token ([`PatKey`](crate::PatKey)) may call it, on a client with a user id ([`ClientBuilder::user`](crate::ClientBuilder::user) or [`user_app`](crate::ClientBuilder::user_app)). A paged list: see [`Call::pages`] and [`Call::items`].
    pub fn list_apps(&self) -> Call<'_, K, ListAppsRequest>
    where
        K: PersonalAccessToken + Grants<GetApps>,
    {
        Call::new(self, PathArgs::new())
    }

    /// Creates keys (see [`Call::api_key`]).
    ///
    /// `POST /v2/users/{user_id}/keys` ([`Rpc::PostKeys`](crate::Rpc)). Needs the scope [`AddKeys`](crate::scope::AddKeys) (`Keys:Add`), checked at compile time. Only a personal access token ([`PatKey`](crate::PatKey)) may call it, on a client with a user id ([`ClientBuilder::user`](crate::ClientBuilder::user) or [`user_app`](crate::ClientBuilder::user_app)).
    pub fn add_keys(&self) -> Call<'_, K, PostKeysRequest>
    where
        K: PersonalAccessToken + Grants<AddKeys>,
    {
        Call::new(self, PathArgs::new())
    }

    /// Lists the user's keys.
    ///
    /// `GET /v2/users/{user_id}/keys` ([`Rpc::ListKeys`](crate::Rpc)). Needs the scope [`GetKeys`](crate::scope::GetKeys) (`Keys:Get`), checked at compile time. Only a personal access token ([`PatKey`](crate::PatKey)) may call it, on a client with a user id ([`ClientBuilder::user`](crate::ClientBuilder::user) or [`user_app`](crate::ClientBuilder::user_app)). A paged list: see [`Call::pages`] and [`Call::items`].
    pub fn list_keys(&self) -> Call<'_, K, ListKeysRequest>
    where
        K: PersonalAccessToken + Grants<GetKeys>,
    {
        Call::new(self, PathArgs::new())
    }

    /// Gets key `key_id`.
    ///
    /// `GET /v2/users/{user_id}/keys/{key_id}` ([`Rpc::GetKey`](crate::Rpc)). Needs the scope [`GetKeys`](crate::scope::GetKeys) (`Keys:Get`), checked at compile time. Only a personal access token ([`PatKey`](crate::PatKey)) may call it, on a client with a user id ([`ClientBuilder::user`](crate::ClientBuilder::user) or [`user_app`](crate::ClientBuilder::user_app)).
    pub fn get_key(&self, key_id: impl Into<String>) -> Call<'_, K, GetKeyRequest>
    where
        K: PersonalAccessToken + Grants<GetKeys>,
    {
        Call::new(self, PathArgs::from([(PathParam::KeyId, key_id.into())]))
    }

    /// Changes keys (description, scopes, expiry) by id.
    ///
    /// `PATCH /v2/users/{user_id}/keys` ([`Rpc::PatchKeys`](crate::Rpc)). Needs the scope [`AddKeys`](crate::scope::AddKeys) (`Keys:Add`), checked at compile time. Only a personal access token ([`PatKey`](crate::PatKey)) may call it, on a client with a user id ([`ClientBuilder::user`](crate::ClientBuilder::user) or [`user_app`](crate::ClientBuilder::user_app)).
    pub fn patch_keys(&self) -> Call<'_, K, PatchKeysRequest>
    where
        K: PersonalAccessToken + Grants<AddKeys>,
    {
        Call::new(self, PathArgs::new())
    }

    /// Deletes key `key_id`.
    ///
    /// `DELETE /v2/users/{user_id}/keys/{key_id}` ([`Rpc::DeleteKey`](crate::Rpc)). Needs the scope [`DeleteKeys`](crate::scope::DeleteKeys) (`Keys:Delete`), checked at compile time. Only a personal access token ([`PatKey`](crate::PatKey)) may call it, on a client with a user id ([`ClientBuilder::user`](crate::ClientBuilder::user) or [`user_app`](crate::ClientBuilder::user_app)).
    pub fn delete_key(&self, key_id: impl Into<String>) -> Call<'_, K, DeleteKeyRequest>
    where
        K: PersonalAccessToken + Grants<DeleteKeys>,
    {
        Call::new(self, PathArgs::from([(PathParam::KeyId, key_id.into())]))
    }

    /// Lists the keys of the client's app.
    ///
    /// `GET /v2/users/{user_id}/apps/{app_id}/keys` ([`Rpc::ListAppKeys`](crate::Rpc)). Needs the scope [`GetKeys`](crate::scope::GetKeys) (`Keys:Get`), checked at compile time. Only a personal access token ([`PatKey`](crate::PatKey)) may call it, on a client with a user id ([`ClientBuilder::user`](crate::ClientBuilder::user) or [`user_app`](crate::ClientBuilder::user_app)). A paged list: see [`Call::pages`] and [`Call::items`].
    pub fn list_app_keys(&self) -> Call<'_, K, ListAppKeysRequest>
    where
        K: PersonalAccessToken + Grants<GetKeys>,
    {
        Call::new(self, PathArgs::new())
    }

    /// Searches the app's models and the public ones by name (`*` wildcards) and output type.
    ///
    /// `POST /v2/models/searches` ([`Rpc::PostModelsSearches`](crate::Rpc)). Needs the scope [`GetModels`](crate::scope::GetModels) (`Models:Get`), checked at compile time. A paged list: see [`Call::pages`] and [`Call::items`].
    pub fn search_models(&self) -> Call<'_, K, PostModelsSearchesRequest>
    where
        K: Grants<GetModels>,
    {
        Call::new(self, PathArgs::new())
    }

    /// Tells model `model_id` what an input really shows (its concepts and regions).
    ///
    /// `POST /v2/models/{model_id}/feedback` ([`Rpc::PostModelFeedback`](crate::Rpc)). Needs the scope [`Predict`](crate::scope::Predict) (`Predict`), checked at compile time. Optional: [`Call::version`] (`{version_id}`).
    pub fn model_feedback(
        &self,
        model_id: impl Into<String>,
    ) -> Call<'_, K, PostModelFeedbackRequest>
    where
        K: Grants<Predict>,
    {
        Call::new(
            self,
            PathArgs::from([(PathParam::ModelId, model_id.into())]),
        )
    }

    /// Tells the app which hit of a search the end user chose.
    ///
    /// `POST /v2/searches/feedback` ([`Rpc::PostSearchFeedback`](crate::Rpc)). Needs the scope [`Search`](crate::scope::Search) (`Search`), checked at compile time.
    pub fn search_feedback(&self) -> Call<'_, K, PostSearchFeedbackRequest>
    where
        K: Grants<Search>,
    {
        Call::new(self, PathArgs::new())
    }

    /// Starts evaluating version `version_id` of model `model_id` (answered queued, 21303).
    ///
    /// `POST /v2/models/{model_id}/versions/{version_id}/metrics` ([`Rpc::PostModelVersionMetrics`](crate::Rpc)). Needs the scopes [`GetModels`](crate::scope::GetModels) (`Models:Get`) and [`AddMetrics`](crate::scope::AddMetrics) (`Metrics:Add`), checked at compile time.
    pub fn evaluate_model_version(
        &self,
        model_id: impl Into<String>,
        version_id: impl Into<String>,
    ) -> Call<'_, K, PostModelVersionMetricsRequest>
    where
        K: Grants<GetModels> + Grants<AddMetrics>,
    {
        Call::new(
            self,
            PathArgs::from([
                (PathParam::ModelId, model_id.into()),
                (PathParam::VersionId, version_id.into()),
            ]),
        )
    }

    /// The evaluation of version `version_id` of model `model_id` (`model_version.metrics`).
    ///
    /// `GET /v2/models/{model_id}/versions/{version_id}/metrics` ([`Rpc::GetModelVersionMetrics`](crate::Rpc)). Needs the scopes [`GetModels`](crate::scope::GetModels) (`Models:Get`) and [`GetMetrics`](crate::scope::GetMetrics) (`Metrics:Get`), checked at compile time.
    pub fn model_version_metrics(
        &self,
        model_id: impl Into<String>,
        version_id: impl Into<String>,
    ) -> Call<'_, K, GetModelVersionMetricsRequest>
    where
        K: Grants<GetModels> + Grants<GetMetrics>,
    {
        Call::new(
            self,
            PathArgs::from([
                (PathParam::ModelId, model_id.into()),
                (PathParam::VersionId, version_id.into()),
            ]),
        )
    }

    /// Runs saved search `search_id` again (saved with `save: true` in PostSearches).
    ///
    /// `POST /v2/searches/{search_id}` ([`Rpc::PostSearchesByID`](crate::Rpc)). Needs the scopes [`GetSavedSearch`](crate::scope::GetSavedSearch) (`SavedSearch:Get`) and [`Search`](crate::scope::Search) (`Search`), checked at compile time. A paged list: see [`Call::pages`] and [`Call::items`].
    pub fn run_saved_search(
        &self,
        search_id: impl Into<String>,
    ) -> Call<'_, K, PostSearchesByIDRequest>
    where
        K: Grants<GetSavedSearch> + Grants<Search>,
    {
        Call::new(
            self,
            PathArgs::from([(PathParam::SearchId, search_id.into())]),
        )
    }

    /// Gets saved search `search_id` (its query, not its hits).
    ///
    /// `GET /v2/searches/{search_id}` ([`Rpc::GetSearch`](crate::Rpc)). Needs the scope [`GetSavedSearch`](crate::scope::GetSavedSearch) (`SavedSearch:Get`), checked at compile time.
    pub fn get_saved_search(&self, search_id: impl Into<String>) -> Call<'_, K, GetSearchRequest>
    where
        K: Grants<GetSavedSearch>,
    {
        Call::new(
            self,
            PathArgs::from([(PathParam::SearchId, search_id.into())]),
        )
    }

    /// Lists the app's saved searches.
    ///
    /// `GET /v2/searches` ([`Rpc::ListSearches`](crate::Rpc)). Needs the scope [`GetSavedSearch`](crate::scope::GetSavedSearch) (`SavedSearch:Get`), checked at compile time. A paged list: see [`Call::pages`] and [`Call::items`].
    pub fn list_saved_searches(&self) -> Call<'_, K, ListSearchesRequest>
    where
        K: Grants<GetSavedSearch>,
    {
        Call::new(self, PathArgs::new())
    }

    /// Deletes saved search `search_id`.
    ///
    /// `DELETE /v2/searches/{search_id}` ([`Rpc::DeleteSearch`](crate::Rpc)). Needs the scope [`DeleteSavedSearch`](crate::scope::DeleteSavedSearch) (`SavedSearch:Delete`), checked at compile time.
    pub fn delete_saved_search(
        &self,
        search_id: impl Into<String>,
    ) -> Call<'_, K, DeleteSearchRequest>
    where
        K: Grants<DeleteSavedSearch>,
    {
        Call::new(
            self,
            PathArgs::from([(PathParam::SearchId, search_id.into())]),
        )
    }

    /// Lists the app's collaborators, and its owner.
    ///
    /// `GET /v2/users/{user_id}/apps/{app_id}/collaborators` ([`Rpc::ListCollaborators`](crate::Rpc)). Needs the scope [`GetCollaborators`](crate::scope::GetCollaborators) (`Collaborators:Get`), checked at compile time. It has only full paths: the client needs user and app ids ([`ClientBuilder::user_app`](crate::ClientBuilder::user_app)). A paged list: see [`Call::pages`] and [`Call::items`].
    pub fn list_collaborators(&self) -> Call<'_, K, ListCollaboratorsRequest>
    where
        K: Grants<GetCollaborators>,
    {
        Call::new(self, PathArgs::new())
    }

    /// Invites users to collaborate on the app, with scopes (see [`Call::collaborator`]).
    ///
    /// `POST /v2/users/{user_id}/apps/{app_id}/collaborators` ([`Rpc::PostCollaborators`](crate::Rpc)). Needs the scope [`AddCollaborators`](crate::scope::AddCollaborators) (`Collaborators:Add`), checked at compile time. It has only full paths: the client needs user and app ids ([`ClientBuilder::user_app`](crate::ClientBuilder::user_app)).
    pub fn add_collaborators(&self) -> Call<'_, K, PostCollaboratorsRequest>
    where
        K: Grants<AddCollaborators>,
    {
        Call::new(self, PathArgs::new())
    }

    /// Removes collaborators of the app, by collaborator or user id.
    ///
    /// `DELETE /v2/users/{user_id}/apps/{app_id}/collaborators` ([`Rpc::DeleteCollaborators`](crate::Rpc)). Needs the scope [`DeleteCollaborators`](crate::scope::DeleteCollaborators) (`Collaborators:Delete`), checked at compile time. It has only full paths: the client needs user and app ids ([`ClientBuilder::user_app`](crate::ClientBuilder::user_app)).
    pub fn delete_collaborators(&self) -> Call<'_, K, DeleteCollaboratorsRequest>
    where
        K: Grants<DeleteCollaborators>,
    {
        Call::new(self, PathArgs::new())
    }

    /// Creates datasets (see [`Call::dataset`]).
    ///
    /// `POST /v2/datasets` ([`Rpc::PostDatasets`](crate::Rpc)). Needs the scope [`AddDatasets`](crate::scope::AddDatasets) (`Datasets:Add`), checked at compile time.
    pub fn add_datasets(&self) -> Call<'_, K, PostDatasetsRequest>
    where
        K: Grants<AddDatasets>,
    {
        Call::new(self, PathArgs::new())
    }

    /// Lists the app's datasets.
    ///
    /// `GET /v2/datasets` ([`Rpc::ListDatasets`](crate::Rpc)). Needs the scope [`GetDatasets`](crate::scope::GetDatasets) (`Datasets:Get`), checked at compile time. On a client with a user id and no app ([`ClientBuilder::user`](crate::ClientBuilder::user)): `GET /v2/users/{user_id}/datasets`, every app of the user. A paged list: see [`Call::pages`] and [`Call::items`].
    pub fn list_datasets(&self) -> Call<'_, K, ListDatasetsRequest>
    where
        K: Grants<GetDatasets>,
    {
        Call::new(self, PathArgs::new())
    }

    /// Gets dataset `dataset_id`, with its latest version.
    ///
    /// `GET /v2/datasets/{dataset_id}` ([`Rpc::GetDataset`](crate::Rpc)). Needs the scope [`GetDatasets`](crate::scope::GetDatasets) (`Datasets:Get`), checked at compile time.
    pub fn get_dataset(&self, dataset_id: impl Into<String>) -> Call<'_, K, GetDatasetRequest>
    where
        K: Grants<GetDatasets>,
    {
        Call::new(
            self,
            PathArgs::from([(PathParam::DatasetId, dataset_id.into())]),
        )
    }

    /// Deletes datasets by id, with their versions (their inputs stay in the app).
    ///
    /// `DELETE /v2/datasets` ([`Rpc::DeleteDatasets`](crate::Rpc)). Needs the scope [`DeleteDatasets`](crate::scope::DeleteDatasets) (`Datasets:Delete`), checked at compile time.
    pub fn delete_datasets(&self) -> Call<'_, K, DeleteDatasetsRequest>
    where
        K: Grants<DeleteDatasets>,
    {
        Call::new(self, PathArgs::new())
    }

    /// Adds inputs of the app to dataset `dataset_id`, by input id.
    ///
    /// `POST /v2/datasets/{dataset_id}/inputs` ([`Rpc::PostDatasetInputs`](crate::Rpc)). Needs the scopes [`GetDatasets`](crate::scope::GetDatasets) (`Datasets:Get`) and [`AddInputs`](crate::scope::AddInputs) (`Inputs:Add`), checked at compile time.
    pub fn add_dataset_inputs(
        &self,
        dataset_id: impl Into<String>,
    ) -> Call<'_, K, PostDatasetInputsRequest>
    where
        K: Grants<GetDatasets> + Grants<AddInputs>,
    {
        Call::new(
            self,
            PathArgs::from([(PathParam::DatasetId, dataset_id.into())]),
        )
    }

    /// Lists the inputs of dataset `dataset_id`.
    ///
    /// `GET /v2/datasets/{dataset_id}/inputs` ([`Rpc::ListDatasetInputs`](crate::Rpc)). Needs the scopes [`GetDatasets`](crate::scope::GetDatasets) (`Datasets:Get`) and [`GetInputs`](crate::scope::GetInputs) (`Inputs:Get`), checked at compile time. A paged list: see [`Call::pages`] and [`Call::items`].
    pub fn list_dataset_inputs(
        &self,
        dataset_id: impl Into<String>,
    ) -> Call<'_, K, ListDatasetInputsRequest>
    where
        K: Grants<GetDatasets> + Grants<GetInputs>,
    {
        Call::new(
            self,
            PathArgs::from([(PathParam::DatasetId, dataset_id.into())]),
        )
    }

    /// Snapshots dataset `dataset_id` as new versions (pending, then ready: 64005, 64015).
    ///
    /// `POST /v2/datasets/{dataset_id}/versions` ([`Rpc::PostDatasetVersions`](crate::Rpc)). Needs the scope [`AddDatasets`](crate::scope::AddDatasets) (`Datasets:Add`), checked at compile time.
    pub fn add_dataset_versions(
        &self,
        dataset_id: impl Into<String>,
    ) -> Call<'_, K, PostDatasetVersionsRequest>
    where
        K: Grants<AddDatasets>,
    {
        Call::new(
            self,
            PathArgs::from([(PathParam::DatasetId, dataset_id.into())]),
        )
    }

    /// Lists the versions of dataset `dataset_id`, newest first.
    ///
    /// `GET /v2/datasets/{dataset_id}/versions` ([`Rpc::ListDatasetVersions`](crate::Rpc)). Needs the scope [`GetDatasets`](crate::scope::GetDatasets) (`Datasets:Get`), checked at compile time. A paged list: see [`Call::pages`] and [`Call::items`].
    pub fn list_dataset_versions(
        &self,
        dataset_id: impl Into<String>,
    ) -> Call<'_, K, ListDatasetVersionsRequest>
    where
        K: Grants<GetDatasets>,
    {
        Call::new(
            self,
            PathArgs::from([(PathParam::DatasetId, dataset_id.into())]),
        )
    }

    /// Gets version `dataset_version_id` of dataset `dataset_id`, with its status and metrics.
    ///
    /// `GET /v2/datasets/{dataset_id}/versions/{dataset_version_id}` ([`Rpc::GetDatasetVersion`](crate::Rpc)). Needs the scope [`GetDatasets`](crate::scope::GetDatasets) (`Datasets:Get`), checked at compile time.
    pub fn get_dataset_version(
        &self,
        dataset_id: impl Into<String>,
        dataset_version_id: impl Into<String>,
    ) -> Call<'_, K, GetDatasetVersionRequest>
    where
        K: Grants<GetDatasets>,
    {
        Call::new(
            self,
            PathArgs::from([
                (PathParam::DatasetId, dataset_id.into()),
                (PathParam::DatasetVersionId, dataset_version_id.into()),
            ]),
        )
    }

    /// Deletes versions of dataset `dataset_id` by id.
    ///
    /// `DELETE /v2/datasets/{dataset_id}/versions` ([`Rpc::DeleteDatasetVersions`](crate::Rpc)). Needs the scope [`DeleteDatasets`](crate::scope::DeleteDatasets) (`Datasets:Delete`), checked at compile time.
    pub fn delete_dataset_versions(
        &self,
        dataset_id: impl Into<String>,
    ) -> Call<'_, K, DeleteDatasetVersionsRequest>
    where
        K: Grants<DeleteDatasets>,
    {
        Call::new(
            self,
            PathArgs::from([(PathParam::DatasetId, dataset_id.into())]),
        )
    }

    /// Creates apps for the user (see [`Call::app`]).
    ///
    /// `POST /v2/users/{user_id}/apps` ([`Rpc::PostApps`](crate::Rpc)). Needs the scope [`AddApps`](crate::scope::AddApps) (`Apps:Add`), checked at compile time. Only a personal access token ([`PatKey`](crate::PatKey)) may call it, on a client with a user id ([`ClientBuilder::user`](crate::ClientBuilder::user) or [`user_app`](crate::ClientBuilder::user_app)).
    pub fn add_apps(&self) -> Call<'_, K, PostAppsRequest>
    where
        K: PersonalAccessToken + Grants<AddApps>,
    {
        Call::new(self, PathArgs::new())
    }

    /// Lists the names of concept `concept_id` in every language it has one.
    ///
    /// `GET /v2/concepts/{concept_id}/languages` ([`Rpc::ListConceptLanguages`](crate::Rpc)). Needs the scope [`GetConcepts`](crate::scope::GetConcepts) (`Concepts:Get`), checked at compile time. A paged list: see [`Call::pages`] and [`Call::items`].
    pub fn list_concept_languages(
        &self,
        concept_id: impl Into<String>,
    ) -> Call<'_, K, ListConceptLanguagesRequest>
    where
        K: Grants<GetConcepts>,
    {
        Call::new(
            self,
            PathArgs::from([(PathParam::ConceptId, concept_id.into())]),
        )
    }

    /// The name of concept `concept_id` in language `language_id` (`zh`, `ja` ...).
    ///
    /// `GET /v2/concepts/{concept_id}/languages/{language_id}` ([`Rpc::GetConceptLanguage`](crate::Rpc)). Needs the scope [`GetConcepts`](crate::scope::GetConcepts) (`Concepts:Get`), checked at compile time.
    pub fn get_concept_language(
        &self,
        concept_id: impl Into<String>,
        language_id: impl Into<String>,
    ) -> Call<'_, K, GetConceptLanguageRequest>
    where
        K: Grants<GetConcepts>,
    {
        Call::new(
            self,
            PathArgs::from([
                (PathParam::ConceptId, concept_id.into()),
                (PathParam::LanguageId, language_id.into()),
            ]),
        )
    }

    /// Adds names of concept `concept_id` in other languages (see [`Call::language`]).
    ///
    /// `POST /v2/concepts/{concept_id}/languages` ([`Rpc::PostConceptLanguages`](crate::Rpc)). Needs the scope [`AddConcepts`](crate::scope::AddConcepts) (`Concepts:Add`), checked at compile time.
    pub fn add_concept_languages(
        &self,
        concept_id: impl Into<String>,
    ) -> Call<'_, K, PostConceptLanguagesRequest>
    where
        K: Grants<AddConcepts>,
    {
        Call::new(
            self,
            PathArgs::from([(PathParam::ConceptId, concept_id.into())]),
        )
    }

    /// Changes names of concept `concept_id` in other languages, by language id.
    ///
    /// `PATCH /v2/concepts/{concept_id}/languages` ([`Rpc::PatchConceptLanguages`](crate::Rpc)). Needs the scope [`AddConcepts`](crate::scope::AddConcepts) (`Concepts:Add`), checked at compile time.
    pub fn patch_concept_languages(
        &self,
        concept_id: impl Into<String>,
    ) -> Call<'_, K, PatchConceptLanguagesRequest>
    where
        K: Grants<AddConcepts>,
    {
        Call::new(
            self,
            PathArgs::from([(PathParam::ConceptId, concept_id.into())]),
        )
    }
}

impl<K: Key> Call<'_, K, PostModelOutputsRequest> {
    /// Sets `{version_id}`: uses the paths that name it (`/v2/models/{model_id}/versions/{version_id}/outputs`).
    pub fn version(self, version_id: impl Into<String>) -> Self {
        self.path_param(PathParam::VersionId, version_id.into())
    }
}

impl<K: Key> Call<'_, K, GetModelOutputInfoRequest> {
    /// Sets `{version_id}`: uses the paths that name it (`/v2/models/{model_id}/versions/{version_id}/output_info`).
    pub fn version(self, version_id: impl Into<String>) -> Self {
        self.path_param(PathParam::VersionId, version_id.into())
    }
}

impl<K: Key> Call<'_, K, PostWorkflowResultsRequest> {
    /// Sets `{version_id}`: uses the paths that name it (`/v2/users/{user_id}/apps/{app_id}/workflows/{workflow_id}/versions/{version_id}/results`).
    pub fn version(self, version_id: impl Into<String>) -> Self {
        self.path_param(PathParam::VersionId, version_id.into())
    }
}

impl<K: Key> Call<'_, K, ListModelInputsRequest> {
    /// Sets `{version_id}`: uses the paths that name it (`/v2/models/{model_id}/versions/{version_id}/inputs`).
    pub fn version(self, version_id: impl Into<String>) -> Self {
        self.path_param(PathParam::VersionId, version_id.into())
    }
}

impl<K: Key> Call<'_, K, PostModelFeedbackRequest> {
    /// Sets `{version_id}`: uses the paths that name it (`/v2/models/{model_id}/versions/{version_id}/feedback`).
    pub fn version(self, version_id: impl Into<String>) -> Self {
        self.path_param(PathParam::VersionId, version_id.into())
    }
}
