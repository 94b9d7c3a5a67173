//! The traits that tie request and response types to their endpoint.

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::{
    PostAnnotationsRequest, PostAppsRequest, PostConceptLanguagesRequest, PostConceptsRequest,
    PostDatasetVersionsRequest, PostDatasetsRequest, PostInputsRequest, PostModelsRequest,
    PostWorkflowsRequest, Redactable, Status,
};
use crate::endpoint::Rpc;

/// A response body: it has a status, and parts guarded by depending scopes.
pub trait ApiResponse:
    Serialize
    + DeserializeOwned
    + Redactable
    + Default
    + Clone
    + std::fmt::Debug
    + Send
    + Sync
    + 'static
{
    /// The response's status.
    fn status(&self) -> &Status;
}

/// A request type of one RPC: its body (or query), the [`Rpc`] it belongs to and the type of the
/// response.
///
/// Every RPC of [`ENDPOINTS`](crate::endpoint::ENDPOINTS) has exactly one request type
/// (`XxxRequest`, named after the proto's request message); the impls are generated from the
/// endpoint rows.
///
/// ```
/// use clarifai_typed::models::{ApiRequest, MultiOutputResponse, PostModelOutputsRequest};
/// use clarifai_typed::Rpc;
/// fn rpc_of<R: ApiRequest>() -> Rpc { R::RPC }
/// assert_eq!(rpc_of::<PostModelOutputsRequest>(), Rpc::PostModelOutputs);
/// let _: Option<<PostModelOutputsRequest as ApiRequest>::Response> = None::<MultiOutputResponse>;
/// ```
pub trait ApiRequest:
    Serialize + DeserializeOwned + Default + Clone + std::fmt::Debug + Send + Sync + 'static
{
    /// The RPC.
    const RPC: Rpc;
    /// The response body.
    type Response: ApiResponse;

    /// Whether sending this request twice could not create anything twice: what the client's
    /// retries ask. From the endpoint's row: reads, predictions, searches, patches and deletes
    /// always; creations when every object carries a client-set id; server-made ids never.
    fn repeatable(&self) -> bool;
}

/// Whether every object a creating request carries has a client-set id (so that sending it twice
/// cannot create a second copy): what the endpoint rows marked `WithClientIds` ask.
macro_rules! creates_with_ids {
    ($($request:ty => $field:ident),* $(,)?) => {$(
        impl $request {
            pub(crate) fn all_have_ids(&self) -> bool {
                !self.$field.is_empty() && self.$field.iter().all(|item| !item.id.is_empty())
            }
        }
    )*};
}

creates_with_ids!(
    PostInputsRequest => inputs,
    PostConceptsRequest => concepts,
    PostWorkflowsRequest => workflows,
    PostAnnotationsRequest => annotations,
    PostDatasetsRequest => datasets,
    PostDatasetVersionsRequest => dataset_versions,
    PostAppsRequest => apps,
    PostConceptLanguagesRequest => concept_languages,
);

impl PostModelsRequest {
    pub(crate) fn all_have_ids(&self) -> bool {
        self.model.as_ref().is_some_and(|m| !m.id.is_empty())
    }
}
