//! Searches: the legacy `query.ands` form (`PostSearches`), the `searches[].query.filters/ranks`
//! form (`PostInputsSearches`, `PostAnnotationsSearches`), and their hits.

use serde::Serialize;

use super::annotation::Annotation;
use super::common::{JsonMap, Pagination, Timestamp, is_false, is_zero_u32};
use super::input::Input;
use super::output::Output;
use super::status::Status;
use crate::redacted::{Redacted, redactable};

/// A search query: the legacy `ands`, or `filters` (what must match) and `ranks` (what to rank
/// by).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Query {
    /// Legacy terms, all of which must hold (`PostSearches`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ands: Vec<And>,
    /// Filters (`PostInputsSearches`, `PostAnnotationsSearches`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub filters: Vec<Filter>,
    /// Ranks (by visual similarity, by concept ...).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ranks: Vec<Rank>,
    /// The language of concept names.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub language: String,
    /// Fields this version does not model, kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

impl Query {
    /// A legacy query of these terms.
    pub fn ands(terms: impl IntoIterator<Item = And>) -> Query {
        Query {
            ands: terms.into_iter().collect(),
            ..Query::default()
        }
    }

    /// A query of filters and ranks.
    pub fn new(
        filters: impl IntoIterator<Item = Filter>,
        ranks: impl IntoIterator<Item = Rank>,
    ) -> Query {
        Query {
            filters: filters.into_iter().collect(),
            ranks: ranks.into_iter().collect(),
            ..Query::default()
        }
    }
}

/// A legacy search term: on what the user gave (`input`: metadata, geo, labels) or on what models
/// made of it (`output`: predicted concepts, visual similarity to `output.input`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct And {
    /// Match user-supplied data.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input: Option<Input>,
    /// Match predictions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output: Option<Output>,
    /// Match annotations.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub annotation: Option<Annotation>,
    /// Invert the term.
    #[serde(skip_serializing_if = "is_false")]
    pub negate: bool,
    /// Fields this version does not model, kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

impl And {
    /// A term on user-supplied data.
    pub fn input(input: Input) -> And {
        And {
            input: Some(input),
            ..And::default()
        }
    }

    /// A term on predictions.
    pub fn output(output: Output) -> And {
        And {
            output: Some(output),
            ..And::default()
        }
    }
}

/// A filter of the newer search form: what must match.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Filter {
    /// Match annotations (concepts, metadata, geo, input type ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub annotation: Option<Annotation>,
    /// Match inputs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input: Option<Input>,
    /// Invert the filter.
    #[serde(skip_serializing_if = "is_false")]
    pub negate: bool,
    /// Fields this version does not model, kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

impl Filter {
    /// A filter on annotations.
    pub fn annotation(annotation: Annotation) -> Filter {
        Filter {
            annotation: Some(annotation),
            ..Filter::default()
        }
    }
}

/// A rank of the newer search form: what to order by.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Rank {
    /// Rank by annotations (an image for visual similarity, concepts ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub annotation: Option<Annotation>,
    /// Invert the rank.
    #[serde(skip_serializing_if = "is_false")]
    pub negate: bool,
    /// Fields this version does not model, kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

impl Rank {
    /// A rank by annotations.
    pub fn annotation(annotation: Annotation) -> Rank {
        Rank {
            annotation: Some(annotation),
            ..Rank::default()
        }
    }
}

/// A search (the proto's `Search` message; named `SearchSpec` here so that it does not share a
/// name with the scope marker [`scope::Search`](crate::scope::Search)): a query, and for saved
/// searches an id.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct SearchSpec {
    /// The query.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub query: Option<Query>,
    /// The saved search's id.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub id: String,
    /// The saved search's name.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Save the search under `id` (PostSearches) rather than run it; run it later with
    /// `PostSearchesByID`.
    #[serde(skip_serializing_if = "is_false")]
    pub save: bool,
    /// Search the inputs as they were at this time (inputs added later are not found).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub as_of: Option<Timestamp>,
    /// When the search was saved.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_at: Option<Timestamp>,
    /// When the saved search last changed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub modified_at: Option<Timestamp>,
    /// Fields this version does not model (`metric`, `algorithm` ...), kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

impl SearchSpec {
    /// A search with this query.
    pub fn new(query: Query) -> SearchSpec {
        SearchSpec {
            query: Some(query),
            ..SearchSpec::default()
        }
    }

    /// A search with this query, saved under `id` instead of run (see
    /// [`Client::run_saved_search`](crate::Client::run_saved_search)).
    pub fn saved(id: impl Into<String>, query: Query) -> SearchSpec {
        SearchSpec {
            id: id.into(),
            save: true,
            ..SearchSpec::new(query)
        }
    }

    /// Sets `as_of`: the search sees the inputs as they were at that time.
    pub fn as_of(mut self, as_of: Timestamp) -> SearchSpec {
        self.as_of = Some(as_of);
        self
    }
}

/// A search result (`Hit`): the matching input or annotation and its score.
///
/// `input` is [`Redacted`] (`Inputs:Get`), and so is `annotation` (`Annotations:Get`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Hit {
    /// How well it matches, from 0 to 1 (always sent).
    pub score: f32,
    /// The matching input.
    #[serde(skip_serializing_if = "Redacted::is_omitted")]
    pub input: Redacted<Option<Input>>,
    /// The matching annotation.
    #[serde(skip_serializing_if = "Redacted::is_omitted")]
    pub annotation: Redacted<Option<Annotation>>,
    /// The user owning the input.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub user_id: String,
    /// The app owning the input.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub app_id: String,
    /// Fields this version does not model, kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// A count of hits, for `only_count` searches (`HitCount`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct HitCount {
    /// The number of hits.
    #[serde(skip_serializing_if = "is_zero_u32")]
    pub estimated_total: u32,
    /// Fields this version does not model, kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// `PostSearches` body: the legacy search (`query.ands`).
///
/// ```
/// use clarifai_typed::models::{And, Concept, Data, Output, Pagination, PostSearchesRequest, Query};
/// let term = And::output(Output::from_data(Data::default().with_concepts([Concept::positive("dog")])));
/// let req = PostSearchesRequest::new(Query::ands([term])).with_pagination(Pagination::new(1, 20));
/// assert_eq!(serde_json::to_value(&req).unwrap(), serde_json::json!({
///     "query": {"ands": [{"output": {"data": {"concepts": [{"id": "dog", "value": 1.0}]}}}]},
///     "pagination": {"page": 1, "per_page": 20}
/// }));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct PostSearchesRequest {
    /// The query (deprecated by Clarifai in favour of `searches`, still the form this RPC takes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub query: Option<Query>,
    /// Searches in the newer form.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub searches: Vec<SearchSpec>,
    /// Page selection.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pagination: Option<Pagination>,
    /// Fields this version does not model, kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

impl PostSearchesRequest {
    /// Searches with `query`.
    pub fn new(query: Query) -> Self {
        PostSearchesRequest {
            query: Some(query),
            ..Self::default()
        }
    }

    /// Sets the page.
    pub fn with_pagination(mut self, pagination: Pagination) -> Self {
        self.pagination = Some(pagination);
        self
    }
}

macro_rules! searches_request {
    ($($(#[$meta:meta])* $name:ident;)*) => {$(
        $(#[$meta])*
        #[derive(Debug, Clone, Default, PartialEq, Serialize)]
        #[non_exhaustive]
        pub struct $name {
            /// The searches (one, in practice).
            #[serde(skip_serializing_if = "Vec::is_empty")]
            pub searches: Vec<SearchSpec>,
            /// Page selection.
            #[serde(skip_serializing_if = "Option::is_none")]
            pub pagination: Option<Pagination>,
            /// Return `hit_counts` instead of hits.
            #[serde(skip_serializing_if = "is_false")]
            pub only_count: bool,
            /// Fields this version does not model, kept for round trips.
            #[serde(flatten)]
            pub extra: JsonMap,
        }

        super::fields::decode_fields! { $name { searches, pagination, only_count } }

        impl $name {
            /// Runs `query`.
            pub fn new(query: Query) -> Self {
                $name {
                    searches: vec![SearchSpec::new(query)],
                    ..Self::default()
                }
            }

            /// Sets the page.
            pub fn with_pagination(mut self, pagination: Pagination) -> Self {
                self.pagination = Some(pagination);
                self
            }
        }
    )*};
}

searches_request! {
    /// `PostInputsSearches` body: search inputs (`searches[].query.filters/ranks`).
    PostInputsSearchesRequest;
    /// `PostAnnotationsSearches` body: search annotations (`searches[].query.filters/ranks`).
    PostAnnotationsSearchesRequest;
}

/// SearchSpec results (`MultiSearchResponse`): the three search RPCs. `hits` is always sent, even
/// empty.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct MultiSearchResponse {
    /// The outcome.
    pub status: Status,
    /// The search's id.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub id: String,
    /// The hits, best first.
    pub hits: Vec<Hit>,
    /// The query, echoed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub query: Option<Query>,
    /// The searches, echoed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub searches: Vec<SearchSpec>,
    /// Hit counts, for `only_count` searches.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub hit_counts: Vec<HitCount>,
    /// Fields this version does not model, kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

redactable! {
    Hit { input, annotation }
    MultiSearchResponse { hits }
    SearchSpec { query }
    Query { ands, filters, ranks }
    And { input, output, annotation }
    Filter { annotation, input }
    Rank { annotation }
}

super::fields::decode_fields! {
    Query { ands, filters, ranks, language }
    And { input, output, annotation, negate }
    Filter { annotation, input, negate }
    Rank { annotation, negate }
    Hit { score, input, annotation, user_id, app_id }
    HitCount { estimated_total }
    PostSearchesRequest { query, searches, pagination }
    MultiSearchResponse { status, id, hits, query, searches, hit_counts }
    SearchSpec { query, id, name, save, as_of, created_at, modified_at }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::{Concept, Data, Geo};
    use serde_json::json;

    #[test]
    fn legacy_search_request_shape() {
        let geo_input = Input::from_data(Data {
            geo: Some(Box::new(
                Geo::point(1.5, -1.0).within("withinKilometers", 1.0),
            )),
            ..Data::default()
        });
        let mut negated = And::output(Output {
            data: Some(Data::default().with_concepts([Concept::new("cat").with_name("Cat")])),
            ..Output::default()
        });
        negated.negate = true;
        let req = PostSearchesRequest::new(Query::ands([And::input(geo_input), negated]))
            .with_pagination(Pagination::new(2, 10));
        assert_eq!(
            serde_json::to_value(&req).unwrap(),
            json!({
                "query": {"ands": [
                    {"input": {"data": {"geo": {
                        "geo_point": {"longitude": 1.5, "latitude": -1.0},
                        "geo_limit": {"type": "withinKilometers", "value": 1.0}
                    }}}},
                    {"output": {"data": {"concepts": [{"id": "cat", "name": "Cat"}]}}, "negate": true}
                ]},
                "pagination": {"page": 2, "per_page": 10}
            })
        );
    }

    #[test]
    fn inputs_search_request_shape() {
        let filter = Filter::annotation(crate::models::Annotation {
            data: Some(Data::default().with_concepts([Concept::positive("dog")])),
            ..Default::default()
        });
        let rank = Rank::annotation(crate::models::Annotation {
            data: Some(Data::image_url(
                "https://samples.clarifai.com/metro-north.jpg",
            )),
            ..Default::default()
        });
        let mut req = PostInputsSearchesRequest::new(Query::new([filter], [rank]))
            .with_pagination(Pagination::new(1, 5));
        req.only_count = true;
        assert_eq!(
            serde_json::to_value(&req).unwrap(),
            json!({
                "searches": [{"query": {
                    "filters": [{"annotation": {"data": {"concepts": [{"id": "dog", "value": 1.0}]}}}],
                    "ranks": [{"annotation": {"data": {"image": {"url": "https://samples.clarifai.com/metro-north.jpg"}}}}]
                }}],
                "pagination": {"page": 1, "per_page": 5},
                "only_count": true
            })
        );
    }

    #[test]
    fn hits_always_carry_score() {
        let r = MultiSearchResponse {
            hits: vec![Hit::default()],
            ..Default::default()
        };
        assert_eq!(
            serde_json::to_value(&r).unwrap(),
            json!({"status": {"code": 0}, "hits": [{"score": 0.0}]})
        );
    }
}
