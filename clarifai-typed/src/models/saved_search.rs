//! Saved searches: a search saved under an id (PostSearches with `searches[].save`), run again
//! (`PostSearchesByID`), read, listed and deleted.

use serde::{Deserialize, Serialize};

use super::common::{JsonMap, Pagination};
use super::model::{empty_request, page_request};
use super::search::SearchSpec;
use super::status::Status;
use crate::redacted::redactable;

/// `PostSearchesByID` body: the page of hits to return (the search itself is the saved one).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct PostSearchesByIDRequest {
    /// Page selection.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pagination: Option<Pagination>,
    /// Fields this version does not model, kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

empty_request! {
    /// `GetSearch`: no body (the saved search's id is in the path).
    GetSearchRequest;
    /// `DeleteSearch`: no body (the saved search's id is in the path).
    DeleteSearchRequest;
}

page_request! {
    /// `ListSearches` query: a page of the app's saved searches.
    ListSearchesRequest;
}

/// One saved search (`SingleSearchResponse`): `GetSearch`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct SingleSearchResponse {
    /// The outcome.
    pub status: Status,
    /// The saved search: its id, name, query and times.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search: Option<SearchSpec>,
    /// Fields this version does not model, kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// Saved searches: `ListSearches`. On the wire this is the protos' `MultiSearchResponse`, whose
/// list is `searches` when it lists saved searches; it is a type of its own here so that its
/// items ([`ListResponse`](crate::models::ListResponse)) are the searches, not hits. `searches`
/// is always sent, even empty.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct MultiSavedSearchResponse {
    /// The outcome.
    pub status: Status,
    /// The saved searches, oldest first.
    pub searches: Vec<SearchSpec>,
    /// Fields this version does not model, kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

redactable! {
    SingleSearchResponse { search }
    MultiSavedSearchResponse { searches }
}

super::fields::decode_fields! {
    PostSearchesByIDRequest { pagination }
    SingleSearchResponse { status, search }
    MultiSavedSearchResponse { status, searches }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::{And, Concept, Data, Input, PostSearchesRequest, Query, Timestamp};
    use serde_json::json;

    #[test]
    fn a_search_is_saved_through_post_searches_and_read_back() {
        let query = Query::ands([And::input(Input::from_data(
            Data::default().with_concepts([Concept::positive("dog")]),
        ))]);
        let save = PostSearchesRequest {
            searches: vec![
                SearchSpec::saved("dogs", query)
                    .as_of(Timestamp::parse("2026-01-01T00:00:00Z").unwrap()),
            ],
            ..Default::default()
        };
        assert_eq!(
            serde_json::to_value(&save).unwrap(),
            json!({"searches": [{
                "query": {"ands": [{"input": {"data": {"concepts": [{"id": "dog", "value": 1.0}]}}}]},
                "id": "dogs", "save": true, "as_of": "2026-01-01T00:00:00Z"
            }]})
        );
        assert_eq!(
            serde_json::to_value(PostSearchesByIDRequest::default()).unwrap(),
            json!({})
        );
        let listed: MultiSavedSearchResponse = serde_json::from_value(json!({
            "status": {"code": 10000}, "searches": [{"id": "dogs", "created_at": "2026-01-01T00:00:00Z"}]
        }))
        .unwrap();
        assert_eq!(listed.searches[0].id, "dogs");
        let empty: MultiSavedSearchResponse =
            serde_json::from_value(json!({"status": {"code": 10000}})).unwrap();
        assert_eq!(
            serde_json::to_value(&empty).unwrap(),
            json!({"status": {"code": 10000}, "searches": []})
        );
    }
}
