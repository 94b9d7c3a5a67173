//! [`ListResponse`]: the response types of list endpoints, as pages of items.

use super::{
    Annotation, ApiKey, ApiResponse, App, Collaborator, Concept, ConceptCount, ConceptLanguage,
    Dataset, DatasetInput, DatasetVersion, Hit, Input, Model, ModelType, ModelVersion,
    MultiAnnotationResponse, MultiAppResponse, MultiCollaboratorsResponse,
    MultiConceptCountResponse, MultiConceptLanguageResponse, MultiConceptResponse,
    MultiDatasetInputResponse, MultiDatasetResponse, MultiDatasetVersionResponse,
    MultiInputResponse, MultiKeyResponse, MultiModelResponse, MultiModelTypeResponse,
    MultiModelVersionResponse, MultiSavedSearchResponse, MultiSearchResponse,
    MultiWorkflowResponse, SearchSpec, Workflow,
};

/// A response that is one page of a list: the items of the page (`inputs`, `models`, `hits` ...).
///
/// The API sends no total count and no next-page token: a page holding fewer items than were
/// asked for is the last one. [`Call::pages`](crate::Call::pages) and
/// [`Call::items`](crate::Call::items) rely on this.
///
/// ```
/// use clarifai_typed::models::{Input, ListResponse, MultiInputResponse};
/// let page: MultiInputResponse = serde_json::from_str(
///     r#"{"status": {"code": 10000}, "inputs": [{"id": "a"}, {"id": "b"}]}"#,
/// ).unwrap();
/// assert_eq!(page.len(), 2);
/// let ids: Vec<String> = page.into_items().into_iter().map(|i: Input| i.id).collect();
/// assert_eq!(ids, ["a", "b"]);
/// ```
pub trait ListResponse: ApiResponse {
    /// The type of the listed items.
    type Item;

    /// The items of this page.
    fn items(&self) -> &[Self::Item];

    /// The items of this page, taken out.
    fn into_items(self) -> Vec<Self::Item>;

    /// How many items this page holds.
    fn len(&self) -> usize {
        self.items().len()
    }

    /// Whether this page holds no item.
    fn is_empty(&self) -> bool {
        self.items().is_empty()
    }
}

macro_rules! list_response {
    ($($response:ty => $field:ident: $item:ty;)*) => {$(
        impl ListResponse for $response {
            type Item = $item;

            fn items(&self) -> &[$item] {
                &self.$field
            }

            fn into_items(self) -> Vec<$item> {
                self.$field
            }
        }
    )*};
}

list_response! {
    MultiInputResponse => inputs: Input;
    MultiModelResponse => models: Model;
    MultiModelTypeResponse => model_types: ModelType;
    MultiModelVersionResponse => model_versions: ModelVersion;
    MultiConceptResponse => concepts: Concept;
    MultiConceptCountResponse => concept_counts: ConceptCount;
    MultiWorkflowResponse => workflows: Workflow;
    MultiAnnotationResponse => annotations: Annotation;
    MultiSearchResponse => hits: Hit;
    MultiKeyResponse => keys: ApiKey;
    MultiAppResponse => apps: App;
    MultiSavedSearchResponse => searches: SearchSpec;
    MultiCollaboratorsResponse => collaborators: Collaborator;
    MultiDatasetResponse => datasets: Dataset;
    MultiDatasetVersionResponse => dataset_versions: DatasetVersion;
    MultiDatasetInputResponse => dataset_inputs: DatasetInput;
    MultiConceptLanguageResponse => concept_languages: ConceptLanguage;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::{ApiRequest, Paged};

    /// Every paged request type answers with a [`ListResponse`].
    #[test]
    fn every_paged_request_answers_a_list() {
        fn check<R: ApiRequest + Paged>()
        where
            R::Response: ListResponse,
        {
        }
        check::<crate::models::ListInputsRequest>();
        check::<crate::models::ListModelsRequest>();
        check::<crate::models::ListModelTypesRequest>();
        check::<crate::models::ListModelInputsRequest>();
        check::<crate::models::ListModelVersionsRequest>();
        check::<crate::models::ListConceptsRequest>();
        check::<crate::models::GetConceptCountsRequest>();
        check::<crate::models::ListWorkflowsRequest>();
        check::<crate::models::ListAnnotationsRequest>();
        check::<crate::models::ListAppsRequest>();
        check::<crate::models::ListKeysRequest>();
        check::<crate::models::ListAppKeysRequest>();
        check::<crate::models::PostSearchesRequest>();
        check::<crate::models::PostInputsSearchesRequest>();
        check::<crate::models::PostAnnotationsSearchesRequest>();
        check::<crate::models::PostConceptsSearchesRequest>();
    }
}
