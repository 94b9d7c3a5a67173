//! Feedback: telling a model what an input really shows (`PostModelFeedback`), and telling the app
//! which hit of a search the end user chose (`PostSearchFeedback`).
//!
//! Both RPCs are in the protos of Clarifai's 2.6.2 client, not in today's: their request is an
//! [`Input`] carrying a [`FeedbackInfo`], their answer only a status.

use serde::Serialize;

use super::common::JsonMap;
use super::input::Input;

/// What a feedback event is (`FeedbackInfo`): who sent it, in which session, of which kind, and
/// about which output or search.
///
/// ```
/// use clarifai_typed::models::FeedbackInfo;
/// let info = FeedbackInfo::new("annotation", "user-7", "session-1").with_output_id("o-1");
/// assert_eq!(serde_json::to_value(&info).unwrap(), serde_json::json!({
///     "end_user_id": "user-7", "session_id": "session-1",
///     "event_type": "annotation", "output_id": "o-1"
/// }));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct FeedbackInfo {
    /// Who gave the feedback: an id of the app's end user.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub end_user_id: String,
    /// The end user's session.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub session_id: String,
    /// The kind of event, by its proto name: `annotation` (a correction of a prediction) or
    /// `search_click` (a chosen search hit).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub event_type: String,
    /// The output (prediction) the feedback corrects.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub output_id: String,
    /// The search whose hit was chosen.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub search_id: String,
    /// Fields this version does not model, kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

impl FeedbackInfo {
    /// An event of kind `event_type` (`annotation`, `search_click`) from an end user and session.
    pub fn new(
        event_type: impl Into<String>,
        end_user_id: impl Into<String>,
        session_id: impl Into<String>,
    ) -> FeedbackInfo {
        FeedbackInfo {
            event_type: event_type.into(),
            end_user_id: end_user_id.into(),
            session_id: session_id.into(),
            ..FeedbackInfo::default()
        }
    }

    /// Sets the output the feedback is about.
    pub fn with_output_id(mut self, output_id: impl Into<String>) -> FeedbackInfo {
        self.output_id = output_id.into();
        self
    }

    /// Sets the search the feedback is about.
    pub fn with_search_id(mut self, search_id: impl Into<String>) -> FeedbackInfo {
        self.search_id = search_id.into();
        self
    }
}

/// `PostModelFeedback` body: the input as it really is (its concepts, its regions), with the
/// feedback's [`FeedbackInfo`] (`input.feedback_info`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct PostModelFeedbackRequest {
    /// The input, with `feedback_info`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input: Option<Input>,
    /// Fields this version does not model, kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// `PostSearchFeedback` body: the chosen hit's input (by id), with the feedback's
/// [`FeedbackInfo`] (`event_type` `search_click`, `search_id`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct PostSearchFeedbackRequest {
    /// The input, with `feedback_info`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input: Option<Input>,
    /// Fields this version does not model, kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

impl Input {
    /// Sets `feedback_info` (the input of a feedback request).
    pub fn with_feedback_info(mut self, info: FeedbackInfo) -> Input {
        self.feedback_info = Some(info);
        self
    }
}

super::fields::decode_fields! {
    FeedbackInfo { end_user_id, session_id, event_type, output_id, search_id }
    PostModelFeedbackRequest { input }
    PostSearchFeedbackRequest { input }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::{Concept, Data};
    use serde_json::json;

    #[test]
    fn feedback_request_shapes() {
        let req = PostModelFeedbackRequest {
            input: Some(
                Input::from_data(Data::image_url("https://x/y.jpg"))
                    .with_id("xyz")
                    .with_concepts([Concept::positive("dog")])
                    .with_feedback_info(
                        FeedbackInfo::new("annotation", "u", "s").with_output_id("o"),
                    ),
            ),
            ..Default::default()
        };
        assert_eq!(
            serde_json::to_value(&req).unwrap(),
            json!({"input": {"id": "xyz", "data": {
                "image": {"url": "https://x/y.jpg"},
                "concepts": [{"id": "dog", "value": 1.0}]
            }, "feedback_info": {
                "end_user_id": "u", "session_id": "s", "event_type": "annotation", "output_id": "o"
            }}})
        );
        let search: PostSearchFeedbackRequest = serde_json::from_value(json!({"input": {
            "id": "xyz",
            "feedback_info": {"event_type": "search_click", "search_id": "s1", "end_user_id": "u", "session_id": "s"}
        }}))
        .unwrap();
        let info = search.input.unwrap().feedback_info.unwrap();
        assert_eq!(
            (info.event_type.as_str(), info.search_id.as_str()),
            ("search_click", "s1")
        );
    }
}
