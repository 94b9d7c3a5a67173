//! The endpoint table: every RPC this crate speaks, with everything the code knows about it.
//!
//! # One declaration per endpoint
//!
//! Each endpoint is one row in `clarifai-catalogue/src/endpoints.rs`: HTTP method, short and
//! full paths, auth type, gate and depending scopes, request and response types, the client
//! method's name, whether it pages (and its list field), whether a retry may repeat it, whether
//! its answers hold secrets. `clarifai-codegen` turns the rows into plain Rust, checked in:
//! [`Rpc`], [`PathParam`], [`ENDPOINTS`] (with typed [`PathTemplate`]s), one
//! [`Client`](crate::Client) method per row with its scope bounds, and the
//! [`ApiRequest`](crate::models::ApiRequest) impls. A test fails when the checked-in code is not
//! what the rows generate.
//!
//! *Why a generator rather than a macro*: generated source reads like hand-written code. Rustdoc
//! shows each method's own bound (`K: Grants<DeleteInputs>`), and a compile error at a call site
//! points at a real line of `client/endpoints.rs`, never at a macro's insides. Everything else
//! reads [`ENDPOINTS`], and code that must handle each RPC (the emulator's dispatch, the
//! request-type visitor) `match`es on [`Rpc`] without a wildcard, so a new row that a consumer
//! forgets is a build error. CONTRIBUTING.md ("Adding an endpoint") shows the steps.
//!
//! # Facts and choices
//!
//! Source: Clarifai's `service.proto` (clarifai-nodejs-grpc @ 9f55408): the `google.api.http`
//! bindings, `cl_auth_type` and `cl_depending_scopes` of each RPC. Choices made here, where the
//! protos are silent:
//!
//! * **Gate scopes** are the scopes named for the operation (`Predict` to predict, `Inputs:Add` to
//!   add inputs, ...). A key lacking one is rejected (status 11007); here such a call does not
//!   compile.
//! * **Guards**: every other depending scope that reads a [`Resource`] (`Concepts:Get` reads
//!   concepts, `Models:Get` models, `Inputs:Get` inputs, `Annotations:Get` annotations,
//!   `Workflows:Get` workflows) guards that resource *wherever the response type can hold it*
//!   (concepts of an output, of its regions and frames, of the echoed model's output info...): a
//!   key lacking the scope gets all of it blanked (a *redacted response*). Where the resource can
//!   appear is derived from the response types ([`Redactable`](crate::models::Redactable)), not
//!   listed by hand. Depending scopes that read nothing the response shows (`Predict` when adding
//!   inputs runs the app's base workflow) guard nothing. Which parts the real server blanks is
//!   documented only by old client tests (concepts under inputs and models); the rest follows the
//!   same rule and is not confirmed.
//! * **Paths**: the legacy short form (`/v2/...`, the app implied by an app key) and the full form
//!   (`/v2/users/{user_id}/apps/{app_id}/...`). Some app-level RPCs also have a *user-level
//!   binding* in the protos, an app-level path without `/apps/{app_id}` (`ListModels` at
//!   `/v2/users/{user_id}/models`): a full path of the same row, taken by a client built with a
//!   user id and no app ([`ClientBuilder::user`](crate::ClientBuilder::user)); with a personal
//!   access token it reaches every app of the user, with an app key the key's app. A few
//!   app-level RPCs have full paths only (collaborators). Extra bindings the protos also list
//!   (the deployment route of predict) are not modelled.
//! * [`Rpc`] is not `#[non_exhaustive]`, on purpose: see its docs.

mod generated;

pub use clarifai_catalogue::endpoints::{Auth, Method, Paging, Repeat};
pub use generated::{ENDPOINTS, PathParam, Rpc};

use crate::models::Resource;
use crate::scope::Scope;

/// One segment of a path template: a literal word, or a parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Segment {
    /// A literal segment (`models`).
    Literal(&'static str),
    /// A parameter (`{model_id}`).
    Param(PathParam),
}

/// A path of an endpoint (`/v2/models/{model_id}/outputs`), parsed once, when generated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct PathTemplate {
    /// The template as text, with `{name}` for each parameter (the form axum routes take).
    pub text: &'static str,
    /// The segments after the leading `/`.
    pub segments: &'static [Segment],
}

impl PathTemplate {
    /// The parameters of the template, in order.
    pub fn params(&self) -> impl Iterator<Item = PathParam> + '_ {
        self.segments.iter().filter_map(|s| match s {
            Segment::Param(p) => Some(*p),
            Segment::Literal(_) => None,
        })
    }

    /// Whether the template names `param`.
    pub fn has(&self, param: PathParam) -> bool {
        self.params().any(|p| p == param)
    }
}

impl std::fmt::Display for PathTemplate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.text)
    }
}

/// One endpoint of the API, as generated from its row: see the [module docs](self).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct EndpointSpec {
    /// The RPC.
    pub rpc: Rpc,
    /// The HTTP method.
    pub method: Method,
    /// Legacy short paths (`/v2/...`), app implied by an app key. Empty for user-level endpoints.
    pub short_paths: &'static [PathTemplate],
    /// Full paths (`/v2/users/{user_id}/...`).
    pub full_paths: &'static [PathTemplate],
    /// The credentials it accepts.
    pub auth: Auth,
    /// The scopes named for the operation: a key without them is rejected (11007).
    pub gate: &'static [Scope],
    /// Every scope the server checks (`cl_depending_scopes`); includes the gate.
    pub depending: &'static [Scope],
    /// The name of the request type in [`models`](crate::models).
    pub request_type: &'static str,
    /// The name of the response type in [`models`](crate::models).
    pub response_type: &'static str,
    /// The name of the [`Client`](crate::Client) method.
    pub client_method: &'static str,
    /// The method's arguments: the path parameters every path has (but user and app ids).
    pub args: &'static [PathParam],
    /// Path parameters only some paths have, each a setter of the call (`version_id`:
    /// `.version(..)`).
    pub optional_params: &'static [PathParam],
    /// The response's list field, present even when empty (`cl_show_if_empty`); its items
    /// carry per-item statuses in a partly failed batch.
    pub list_field: Option<&'static str>,
    /// Whether, and how, it pages.
    pub paging: Paging,
    /// Whether a retry may send it again.
    pub repeat: Repeat,
    /// Whether its answers hold key secrets (an API key's id is the key).
    pub answer_holds_secrets: bool,
}

impl EndpointSpec {
    /// The spec of `rpc`.
    pub fn of(rpc: Rpc) -> &'static EndpointSpec {
        rpc.spec()
    }

    /// The fully qualified gRPC method name (`/clarifai.api.V2/PostModelOutputs`), the form that
    /// endpoint-level key permissions use.
    pub fn grpc_name(&self) -> String {
        format!("/clarifai.api.V2/{}", self.rpc.name())
    }

    /// The depending scopes a key holding `held` lacks.
    pub fn missing_depending<'a>(&'a self, held: &'a [Scope]) -> impl Iterator<Item = &'a Scope> {
        self.depending
            .iter()
            .filter(move |s| !s.is_granted_by(held))
    }

    /// The gate scopes a key holding `held` lacks.
    pub fn missing_gate<'a>(&'a self, held: &'a [Scope]) -> impl Iterator<Item = &'a Scope> {
        self.gate.iter().filter(move |s| !s.is_granted_by(held))
    }

    /// The resources the endpoint's depending scopes guard, with the scope guarding each: what
    /// a key lacking that scope gets blanked, wherever the response holds it.
    ///
    /// A depending scope guards the [`Resource`] it reads when the endpoint's response type can
    /// hold that resource. Gate scopes and the scopes granted with them (`Inputs:Add` brings
    /// `Inputs:Get`) guard nothing: a key that may call the endpoint holds them. Computed once,
    /// from the response types.
    pub fn guards(&self) -> &'static [(Scope, Resource)] {
        static GUARDS: std::sync::OnceLock<Vec<Vec<(Scope, Resource)>>> =
            std::sync::OnceLock::new();
        let all = GUARDS.get_or_init(|| ENDPOINTS.iter().map(derive_guards).collect());
        all.get(self.rpc.index()).map_or(&[], Vec::as_slice)
    }

    /// Every path, short ones first.
    pub fn paths(&self) -> impl Iterator<Item = &'static PathTemplate> {
        self.short_paths.iter().chain(self.full_paths)
    }
}

/// The guards of one endpoint: see [`EndpointSpec::guards`].
fn derive_guards(spec: &EndpointSpec) -> Vec<(Scope, Resource)> {
    let held_with_gate = |s: &Scope| {
        spec.gate
            .iter()
            .any(|g| g == s || g.dependencies().any(|d| d == *s))
    };
    spec.depending
        .iter()
        .filter(|s| !held_with_gate(s))
        .filter_map(|s| Resource::guarded_by(s).map(|r| (s.clone(), r)))
        .filter(|(_, r)| crate::models::response_holds(spec.rpc, *r))
        .collect()
}

impl Rpc {
    /// The RPC's entry in [`ENDPOINTS`].
    pub fn spec(self) -> &'static EndpointSpec {
        &ENDPOINTS[self as usize]
    }

    /// The RPC's position in [`ENDPOINTS`].
    pub const fn index(self) -> usize {
        self as usize
    }

    /// Looks an RPC up by its proto name (`PostModelOutputs`), as written in key permissions
    /// (`/clarifai.api.V2/PostModelOutputs` also works).
    pub fn from_name(name: &str) -> Option<Rpc> {
        let name = name.strip_prefix("/clarifai.api.V2/").unwrap_or(name);
        Rpc::ALL.iter().copied().find(|r| r.name() == name)
    }
}

impl std::fmt::Debug for Rpc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::fmt::Display for Rpc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl PathParam {
    /// Looks a parameter up by its name in a template (`model_id`).
    pub fn from_name(name: &str) -> Option<PathParam> {
        PathParam::ALL.iter().copied().find(|p| p.name() == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scope;

    #[test]
    fn the_table_is_in_rpc_order_and_complete() {
        assert_eq!(ENDPOINTS.len(), Rpc::ALL.len());
        for (i, e) in ENDPOINTS.iter().enumerate() {
            assert_eq!(e.rpc.index(), i);
            assert_eq!(Rpc::from_name(e.rpc.name()), Some(e.rpc));
            assert_eq!(Rpc::from_name(&e.grpc_name()), Some(e.rpc));
            assert_eq!(EndpointSpec::of(e.rpc), e);
        }
    }

    #[test]
    fn every_scope_named_is_in_the_catalogue() {
        for e in ENDPOINTS.iter() {
            for s in e.gate.iter().chain(e.depending) {
                assert!(s.is_known(), "{}: {s:?}", e.rpc);
            }
        }
    }

    #[test]
    fn templates_round_trip_their_text() {
        for e in ENDPOINTS.iter() {
            for p in e.paths() {
                let rebuilt: String = p
                    .segments
                    .iter()
                    .map(|s| match s {
                        Segment::Literal(l) => format!("/{l}"),
                        Segment::Param(p) => format!("/{{{}}}", p.name()),
                    })
                    .collect();
                assert_eq!(rebuilt, p.text);
            }
            for a in e.args {
                assert!(e.paths().all(|p| p.has(*a)), "{}: {a:?}", e.rpc);
            }
            for o in e.optional_params {
                assert!(e.paths().any(|p| p.has(*o)), "{}: {o:?}", e.rpc);
                assert!(!e.paths().all(|p| p.has(*o)), "{}: {o:?}", e.rpc);
            }
        }
        assert_eq!(PathParam::from_name("model_id"), Some(PathParam::ModelId));
        assert!(PathParam::KeyId.is_secret());
        assert!(!PathParam::InputId.is_secret());
    }

    #[test]
    fn app_level_short_paths_are_full_paths_without_the_prefix() {
        const APP_PREFIX: &str = "/v2/users/{user_id}/apps/{app_id}";
        // The protos bind these app-level RPCs in full only.
        let full_only = [
            Rpc::ListCollaborators,
            Rpc::PostCollaborators,
            Rpc::DeleteCollaborators,
        ];
        for e in ENDPOINTS.iter() {
            if e.auth == Auth::Key && !matches!(e.rpc, Rpc::GetApp | Rpc::MyScopes) {
                assert_eq!(
                    e.short_paths.is_empty(),
                    full_only.contains(&e.rpc),
                    "{}",
                    e.rpc
                );
                for p in e.short_paths {
                    let full = format!("{APP_PREFIX}{}", &p.text[3..]);
                    assert!(
                        e.full_paths.iter().any(|f| f.text == full),
                        "{}: {full}",
                        e.rpc
                    );
                }
            }
        }
    }

    #[test]
    fn user_level_bindings_of_app_level_endpoints_mirror_an_app_level_path() {
        const APP_PREFIX: &str = "/v2/users/{user_id}/apps/{app_id}";
        let mut bindings = Vec::new();
        for e in ENDPOINTS.iter().filter(|e| e.auth == Auth::Key) {
            for p in e.full_paths.iter().filter(|p| !p.has(PathParam::AppId)) {
                let tail = &p.text["/v2/users/{user_id}".len()..];
                let app_level = format!("{APP_PREFIX}{tail}");
                assert!(
                    e.full_paths.iter().any(|f| f.text == app_level),
                    "{}: {} has no app-level twin",
                    e.rpc,
                    p.text
                );
                bindings.push(e.rpc);
            }
        }
        assert_eq!(bindings, [Rpc::ListModels, Rpc::ListDatasets]);
    }

    #[test]
    fn gates_and_guards_follow_the_design() {
        let gate = |rpc: Rpc| -> Vec<&str> { rpc.spec().gate.iter().map(Scope::as_str).collect() };
        assert_eq!(gate(Rpc::PostModelOutputs), ["Predict"]);
        assert_eq!(gate(Rpc::PostInputs), ["Inputs:Add"]);
        assert_eq!(gate(Rpc::DeleteInputs), ["Inputs:Delete"]);
        assert_eq!(gate(Rpc::PostModelVersions), ["Models:Train"]);
        assert_eq!(gate(Rpc::PostWorkflowResults), ["Predict", "Workflows:Get"]);
        assert!(gate(Rpc::MyScopes).is_empty());
        assert_eq!(Rpc::PostKeys.spec().auth, Auth::PatOnly);
        assert_eq!(
            Rpc::PostModelOutputs.spec().grpc_name(),
            "/clarifai.api.V2/PostModelOutputs"
        );
        let held = [Scope::of::<scope::Predict>()];
        let missing: Vec<_> = Rpc::PostModelOutputs
            .spec()
            .missing_depending(&held)
            .collect();
        assert_eq!(missing.len(), 3);
        let guards = Rpc::PostModelOutputs.spec().guards().to_vec();
        assert_eq!(
            guards,
            [
                (Scope::of::<scope::GetConcepts>(), Resource::Concepts),
                (Scope::of::<scope::GetModels>(), Resource::Model),
            ]
        );
        // A gate, or a scope granted with it, is never a guard: the key always holds it.
        for e in ENDPOINTS.iter() {
            for (s, _) in e.guards() {
                let s = s.clone();
                assert!(!e.gate.contains(&s), "{}", e.rpc);
            }
        }
        assert!(
            Rpc::PostInputs
                .spec()
                .guards()
                .iter()
                .all(|(_, r)| *r != Resource::Input)
        );
    }
}
