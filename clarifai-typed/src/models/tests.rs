//! Tests across every endpoint's types.

use super::*;
use crate::endpoint::{ENDPOINTS, Rpc};
use crate::scope::{self, Scope};

struct TypesMatch(Rpc);
impl RequestTypeVisitor for TypesMatch {
    type Output = ();
    fn visit<R: ApiRequest>(self) {
        assert_eq!(R::RPC, self.0);
        assert_eq!(
            std::any::type_name::<R>().rsplit("::").next(),
            Some(self.0.spec().request_type)
        );
        assert_eq!(
            std::any::type_name::<R::Response>().rsplit("::").next(),
            Some(self.0.spec().response_type)
        );
    }
}

#[test]
fn every_rpc_has_its_request_and_response_types() {
    for rpc in Rpc::ALL {
        visit_request_type(*rpc, TypesMatch(*rpc));
    }
}

struct EmptyAndRoundTrip;
impl RequestTypeVisitor for EmptyAndRoundTrip {
    type Output = ();
    fn visit<R: ApiRequest>(self) {
        let name = R::RPC.name();
        assert_eq!(
            serde_json::to_value(R::default()).unwrap(),
            serde_json::json!({}),
            "{name}"
        );
        let back: R = serde_json::from_str("{}").unwrap();
        assert_eq!(
            serde_json::to_value(back).unwrap(),
            serde_json::json!({}),
            "{name}"
        );
        let resp = R::Response::default();
        let text = serde_json::to_string(&resp).unwrap();
        let again: R::Response = serde_json::from_str(&text).unwrap();
        assert_eq!(serde_json::to_string(&again).unwrap(), text, "{name}");
        // `null` reads as the default everywhere, as in proto3 JSON.
        let nulls: R::Response = serde_json::from_str(r#"{"status": null}"#).unwrap();
        assert_eq!(nulls.status(), &Status::default(), "{name}");
    }
}

#[test]
fn default_requests_are_empty_bodies_and_responses_round_trip() {
    for rpc in Rpc::ALL {
        visit_request_type(*rpc, EmptyAndRoundTrip);
    }
}

fn holds(rpc: Rpc, resource: Resource) -> bool {
    response_holds(rpc, resource)
}

#[test]
fn response_types_hold_what_the_guards_guard() {
    let r = |rpc| -> Vec<Resource> {
        rpc_guards(rpc)
            .into_iter()
            .filter(|(_, res)| holds(rpc, *res))
            .map(|(_, res)| res)
            .collect()
    };
    assert_eq!(
        r(Rpc::PostModelOutputs),
        [Resource::Concepts, Resource::Model]
    );
    assert_eq!(
        r(Rpc::PostSearches),
        [Resource::Annotation, Resource::Concepts, Resource::Input]
    );
    assert_eq!(r(Rpc::GetApp), [Resource::Workflow]);
    assert_eq!(r(Rpc::ListWorkflows), [Resource::Model]);
    assert_eq!(r(Rpc::ListAnnotations), [Resource::Concepts]);
    assert!(r(Rpc::DeleteInputs).is_empty());
    // And not everything holds everything.
    assert!(!holds(Rpc::PostInputs, Resource::Model));
    assert!(!holds(Rpc::ListConcepts, Resource::Model));
}

fn rpc_guards(rpc: Rpc) -> Vec<(Scope, Resource)> {
    rpc.spec().guards().to_vec()
}

/// For every endpoint and every guard whose resource its response can hold: a response holding
/// the resource everywhere the type allows, redacted as JSON for a key lacking the scope, keeps
/// nothing of it; decoded, the client withholds it; a key holding the scope sees it all.
struct RedactionIsComplete {
    everything_but: Vec<Scope>,
    scope: Scope,
    resource: Resource,
    marker: String,
}
impl RequestTypeVisitor for RedactionIsComplete {
    type Output = ();
    fn visit<R: ApiRequest>(self) {
        let rpc = R::RPC;
        let mut body = serde_json::json!({"status": {"code": 10000}});
        <R::Response as Redactable>::fill_json(&mut body, self.resource, &self.marker, TYPE_DEPTH);
        let filled = body.to_string();
        assert!(filled.contains(&self.marker), "{rpc}: nothing filled");
        // Every filled place decodes into the typed response and survives a round trip.
        let typed: R::Response = serde_json::from_value(body.clone()).unwrap();
        assert!(
            serde_json::to_string(&typed)
                .unwrap()
                .contains(&self.marker),
            "{rpc}"
        );

        let mut redacted = body.clone();
        redact_json_for(rpc, &mut redacted, &self.everything_but);
        assert!(
            !redacted.to_string().contains(&self.marker),
            "{rpc}: {:?} left after redaction for a key lacking {}: {redacted}",
            self.resource,
            self.scope
        );
        // The client, reading the redacted answer, sees the parts as withheld.
        let mut decoded: R::Response = serde_json::from_value(redacted).unwrap();
        decoded.resolve_redactions(rpc, &self.everything_but);
        let text = format!("{decoded:?}");
        assert!(
            text.contains(&format!("Withheld {{ scope: {:?} }}", self.scope)),
            "{rpc}: {text}"
        );
        // The typed redaction agrees with the JSON one.
        let mut typed_redacted = typed.clone();
        typed_redacted.redact_for(rpc, &self.everything_but);
        assert!(
            !format!("{typed_redacted:?}").contains(&self.marker),
            "{rpc}"
        );

        // A key holding the scope gets the body unchanged, and nothing withheld.
        let mut kept = body.clone();
        redact_json_for(rpc, &mut kept, &[Scope::of::<scope::All>()]);
        assert_eq!(kept, body, "{rpc}");
        let mut visible: R::Response = serde_json::from_value(body).unwrap();
        visible.resolve_redactions(rpc, &[Scope::of::<scope::All>()]);
        assert!(!format!("{visible:?}").contains("Withheld"), "{rpc}");
    }
}

#[test]
fn redaction_leaves_nothing_of_a_guarded_resource() {
    let everything: Vec<Scope> = Scope::catalogue().filter(|s| !s.is_all()).collect();
    let mut checked = 0;
    for e in ENDPOINTS.iter() {
        for (scope, resource) in e.guards().iter().cloned() {
            assert!(holds(e.rpc, resource));
            checked += 1;
            let everything_but = everything
                .iter()
                .filter(|s| **s != scope)
                .cloned()
                .collect();
            visit_request_type(
                e.rpc,
                RedactionIsComplete {
                    everything_but,
                    scope,
                    resource,
                    marker: format!("LEAK-{resource:?}"),
                },
            );
        }
    }
    assert!(checked > 20, "{checked}");
}

#[test]
fn filled_parts_stay_visible() {
    let mut r: MultiOutputResponse = serde_json::from_value(serde_json::json!({
        "status": {"code": 10000},
        "outputs": [
            {"model": {"id": "m"}, "data": {"concepts": [{"id": "dog", "value": 0.9}]}},
            {"data": {}}
        ]
    }))
    .unwrap();
    r.resolve_redactions(Rpc::PostModelOutputs, &[]);
    let first = &r.outputs[0];
    assert!(first.model.is_visible());
    assert!(first.concepts().is_visible());
    let second = &r.outputs[1];
    assert!(second.model.is_withheld());
    assert_eq!(
        second.concepts().withheld_scope(),
        Some(&Scope::of::<scope::GetConcepts>())
    );
    // Withheld parts are left out when encoding.
    assert_eq!(
        serde_json::to_value(&r).unwrap()["outputs"][1],
        serde_json::json!({"data": {}})
    );
}

#[test]
fn redact_for_blanks_filled_parts_like_the_server() {
    let body = serde_json::json!({
        "status": {"code": 10000},
        "outputs": [{
            "model": {"id": "m", "output_info": {"data": {"concepts": [{"id": "c"}]}}},
            "data": {"concepts": [{"id": "dog", "value": 0.9}]}
        }]
    });
    let mut r: MultiOutputResponse = serde_json::from_value(body.clone()).unwrap();
    let held = [
        Scope::of::<scope::Predict>(),
        Scope::of::<scope::GetModels>(),
    ];
    r.redact_for(Rpc::PostModelOutputs, &held);
    assert!(r.outputs[0].model.is_visible());
    assert!(r.outputs[0].concepts().is_withheld());
    // The concepts of the echoed model's output info are concepts too.
    let expected = serde_json::json!({"status": {"code": 10000}, "outputs": [{
        "model": {"id": "m", "output_info": {"data": {}}},
        "data": {}
    }]});
    assert_eq!(serde_json::to_value(&r).unwrap(), expected);
    let mut json = body;
    redact_json_for(Rpc::PostModelOutputs, &mut json, &held);
    assert_eq!(json, expected);
    // A key holding everything gets the response unchanged.
    let mut full: MultiOutputResponse = serde_json::from_value(serde_json::json!({
        "outputs": [{"data": {"concepts": [{"id": "dog"}]}}]
    }))
    .unwrap();
    let before = full.clone();
    full.redact_for(Rpc::PostModelOutputs, &[Scope::of::<scope::All>()]);
    assert_eq!(full, before);
}

#[test]
fn search_hits_withhold_inputs_and_annotations() {
    let mut r: MultiSearchResponse = serde_json::from_value(serde_json::json!({
        "status": {"code": 10000},
        "hits": [{"score": 0.5}, {"score": 0.4, "input": {"id": "i", "data": {}}}]
    }))
    .unwrap();
    r.resolve_redactions(Rpc::PostInputsSearches, &[Scope::of::<scope::GetInputs>()]);
    assert!(r.hits[0].input.is_visible());
    assert!(r.hits[0].annotation.is_withheld());
    let input = r.hits[1].input.visible().and_then(Option::as_ref).unwrap();
    assert!(input.data.as_ref().unwrap().concepts.is_withheld());
}
