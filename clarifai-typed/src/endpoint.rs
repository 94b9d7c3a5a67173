//! The endpoint table: every RPC this crate speaks, with its HTTP binding, auth type and scopes.
//!
//! One declaration ([`ENDPOINTS`], generated from the same rows as [`Rpc`]) feeds the client's
//! method bounds, the emulator's routing and enforcement, and the documentation.
//!
//! Source: Clarifai's `service.proto` (clarifai-nodejs-grpc @ 9f55408): the `google.api.http`
//! bindings, `cl_auth_type` and `cl_depending_scopes` of each RPC. Choices made here, where the
//! protos are silent:
//!
//! * **Gate scopes** are the scopes named for the operation (`Predict` to predict, `Inputs:Add` to
//!   add inputs, ...). A key lacking one is rejected (status 11007); here such a call does not
//!   compile. Every other depending scope either guards a part of the response ([`Guard`]), which a
//!   key lacking it gets blanked (a *redacted response*), or guards nothing the response shows (the
//!   server reads that resource internally, e.g. `Predict` when adding inputs runs the app's base
//!   workflow).
//! * **Guarded parts** are written as simple paths into the response JSON (`outputs[].model`:
//!   the `model` of every element of `outputs`). Which parts the server blanks is documented only
//!   by old client tests (concepts under inputs and models); the rest follows the same pattern and
//!   is not confirmed.
//! * **Paths**: the legacy short form (`/v2/...`, the app implied by an app key) and the full form
//!   (`/v2/users/{user_id}/apps/{app_id}/...`). Extra bindings the protos also list (user-level
//!   `/v2/users/{user_id}/models` and `/workflows` listings, the deployment route of predict) are
//!   not modelled.

use crate::scope::{self, Scope, ScopeMarker};

/// An HTTP method used by the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PATCH`
    Patch,
    /// `DELETE` (some take a JSON body, e.g. `{"ids": [...]}`).
    Delete,
}

impl Method {
    /// The method's name as sent on the wire.
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
}

/// Which credentials an endpoint accepts (`cl_auth_type` in the protos).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Auth {
    /// `KeyAuth`: app-specific keys and personal access tokens.
    Key,
    /// `PATAuth`: personal access tokens only ([`PatKey`](crate::PatKey)); user-level, full paths.
    PatOnly,
}

/// A part of a response that a depending scope guards: blanked when the key lacks the scope.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Guard {
    /// The scope that guards the part.
    pub scope: Scope,
    /// Where the part is in the response JSON: field names joined by `.`, `[]` after a field that
    /// holds a list meaning "in every element" (`outputs[].data.concepts`).
    pub path: &'static str,
}

impl Guard {
    /// The path as segments: `(field, is_list)` pairs.
    pub fn segments(&self) -> impl Iterator<Item = (&'static str, bool)> {
        self.path.split('.').map(|s| match s.strip_suffix("[]") {
            Some(field) => (field, true),
            None => (s, false),
        })
    }
}

/// One endpoint of the API.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct EndpointSpec {
    /// The RPC.
    pub rpc: Rpc,
    /// The HTTP method.
    pub method: Method,
    /// Legacy short paths (`/v2/...`), app implied by an app key. Empty for user-level endpoints.
    pub short_paths: &'static [&'static str],
    /// Full paths (`/v2/users/{user_id}/...`).
    pub full_paths: &'static [&'static str],
    /// The credentials it accepts.
    pub auth: Auth,
    /// The scopes named for the operation: a key without them is rejected (11007).
    pub gate: &'static [Scope],
    /// Every scope the server checks (`cl_depending_scopes`); includes the gate.
    pub depending: &'static [Scope],
    /// The response parts that non-gate depending scopes guard.
    pub guards: &'static [Guard],
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
}

const fn s<S: ScopeMarker>() -> Scope {
    S::SCOPE
}

/// Calls `$callback! { prefix... Rpc: METHOD Auth short [...] full [...] gate [...]
/// depending [...] guards [Scope: "path", ...]; ... }` with every endpoint. The one declaration
/// of the table; the client and the emulator feed it to their own macros. The optional tokens
/// after the callback's path are passed first, untouched (the client passes `($)` to define a
/// macro of its own from the rows).
#[doc(hidden)]
#[macro_export]
macro_rules! __endpoint_table {
    ($callback:path $(, $($prefix:tt)*)?) => {
        $callback! {
            $($($prefix)*)?
            PostModelOutputs: Post Key
                short ["/v2/models/{model_id}/outputs", "/v2/models/{model_id}/versions/{version_id}/outputs"]
                full ["/v2/users/{user_id}/apps/{app_id}/models/{model_id}/outputs", "/v2/users/{user_id}/apps/{app_id}/models/{model_id}/versions/{version_id}/outputs"]
                gate [Predict]
                depending [GetApps, GetConcepts, GetModels, Predict]
                guards [GetConcepts: "outputs[].data.concepts", GetModels: "outputs[].model"];
            GetModelOutputInfo: Get Key
                short ["/v2/models/{model_id}/output_info", "/v2/models/{model_id}/versions/{version_id}/output_info"]
                full ["/v2/users/{user_id}/apps/{app_id}/models/{model_id}/output_info", "/v2/users/{user_id}/apps/{app_id}/models/{model_id}/versions/{version_id}/output_info"]
                gate [GetModels]
                depending [GetApps, GetConcepts, GetModels]
                guards [GetConcepts: "model.output_info.data.concepts"];
            PostWorkflowResults: Post Key
                short ["/v2/workflows/{workflow_id}/results"]
                full ["/v2/users/{user_id}/apps/{app_id}/workflows/{workflow_id}/results", "/v2/users/{user_id}/apps/{app_id}/workflows/{workflow_id}/versions/{version_id}/results"]
                gate [Predict, GetWorkflows]
                depending [GetApps, GetModels, GetConcepts, Predict, GetWorkflows]
                guards [GetModels: "results[].outputs[].model", GetConcepts: "results[].outputs[].data.concepts"];
            PostInputs: Post Key
                short ["/v2/inputs"]
                full ["/v2/users/{user_id}/apps/{app_id}/inputs"]
                gate [AddInputs]
                depending [GetApps, AddAnnotations, GetAnnotations, GetConcepts, AddInputs, GetInputs, GetModels, Predict, GetWorkflows]
                guards [GetConcepts: "inputs[].data.concepts"];
            ListInputs: Get Key
                short ["/v2/inputs"]
                full ["/v2/users/{user_id}/apps/{app_id}/inputs"]
                gate [GetInputs]
                depending [GetApps, GetAnnotations, GetConcepts, GetInputs]
                guards [GetConcepts: "inputs[].data.concepts"];
            GetInput: Get Key
                short ["/v2/inputs/{input_id}"]
                full ["/v2/users/{user_id}/apps/{app_id}/inputs/{input_id}"]
                gate [GetInputs]
                depending [GetApps, GetAnnotations, GetConcepts, GetInputs]
                guards [GetConcepts: "input.data.concepts"];
            PatchInputs: Patch Key
                short ["/v2/inputs"]
                full ["/v2/users/{user_id}/apps/{app_id}/inputs"]
                gate [AddInputs]
                depending [GetApps, AddAnnotations, GetAnnotations, GetConcepts, AddInputs, GetInputs, GetModels]
                guards [GetConcepts: "inputs[].data.concepts"];
            DeleteInput: Delete Key
                short ["/v2/inputs/{input_id}"]
                full ["/v2/users/{user_id}/apps/{app_id}/inputs/{input_id}"]
                gate [DeleteInputs]
                depending [GetApps, AddAnnotations, DeleteAnnotations, GetAnnotations, AddInputs, DeleteInputs, GetInputs, GetModels, GetWorkflows]
                guards [];
            DeleteInputs: Delete Key
                short ["/v2/inputs"]
                full ["/v2/users/{user_id}/apps/{app_id}/inputs"]
                gate [DeleteInputs]
                depending [GetApps, AddAnnotations, DeleteAnnotations, GetAnnotations, AddInputs, DeleteInputs, GetInputs, GetModels, GetWorkflows]
                guards [];
            GetInputCount: Get Key
                short ["/v2/inputs/status"]
                full ["/v2/users/{user_id}/apps/{app_id}/inputs/status"]
                gate [GetInputs]
                depending [GetApps, GetAnnotations, GetConcepts, GetInputs]
                guards [];
            PostSearches: Post Key
                short ["/v2/searches"]
                full ["/v2/users/{user_id}/apps/{app_id}/searches"]
                gate [Search]
                depending [GetApps, GetAnnotations, GetConcepts, GetInputs, GetModels, Search, GetWorkflows]
                guards [GetInputs: "hits[].input", GetConcepts: "hits[].input.data.concepts", GetAnnotations: "hits[].annotation"];
            PostInputsSearches: Post Key
                short ["/v2/inputs/searches"]
                full ["/v2/users/{user_id}/apps/{app_id}/inputs/searches"]
                gate [Search]
                depending [GetApps, GetAnnotations, GetConcepts, GetInputs, GetModels, Search, GetWorkflows]
                guards [GetInputs: "hits[].input", GetConcepts: "hits[].input.data.concepts", GetAnnotations: "hits[].annotation"];
            PostAnnotationsSearches: Post Key
                short ["/v2/annotations/searches"]
                full ["/v2/users/{user_id}/apps/{app_id}/annotations/searches"]
                gate [Search]
                depending [GetApps, GetAnnotations, GetConcepts, GetInputs, GetModels, Search, GetWorkflows]
                guards [GetInputs: "hits[].input", GetConcepts: "hits[].input.data.concepts", GetAnnotations: "hits[].annotation"];
            ListModels: Get Key
                short ["/v2/models"]
                full ["/v2/users/{user_id}/apps/{app_id}/models"]
                gate [GetModels]
                depending [GetApps, GetConcepts, GetModels]
                guards [GetConcepts: "models[].output_info.data.concepts"];
            GetModel: Get Key
                short ["/v2/models/{model_id}"]
                full ["/v2/users/{user_id}/apps/{app_id}/models/{model_id}"]
                gate [GetModels]
                depending [GetApps, GetConcepts, GetModels]
                guards [GetConcepts: "model.output_info.data.concepts"];
            PostModels: Post Key
                short ["/v2/models"]
                full ["/v2/users/{user_id}/apps/{app_id}/models"]
                gate [AddModels]
                depending [GetApps, GetConcepts, AddModels, GetModels, TrainModels, GetWorkflows]
                guards [GetConcepts: "model.output_info.data.concepts"];
            PatchModels: Patch Key
                short ["/v2/models"]
                full ["/v2/users/{user_id}/apps/{app_id}/models"]
                gate [AddModels]
                depending [GetApps, GetConcepts, AddModels, GetModels, TrainModels]
                guards [GetConcepts: "models[].output_info.data.concepts"];
            DeleteModel: Delete Key
                short ["/v2/models/{model_id}"]
                full ["/v2/users/{user_id}/apps/{app_id}/models/{model_id}"]
                gate [DeleteModels]
                depending [GetApps, GetConcepts, AddModels, DeleteModels, GetModels, GetWorkflows]
                guards [];
            DeleteModels: Delete Key
                short ["/v2/models"]
                full ["/v2/users/{user_id}/apps/{app_id}/models"]
                gate [DeleteModels]
                depending [GetApps, GetConcepts, AddModels, DeleteModels, GetModels, GetWorkflows]
                guards [];
            ListModelTypes: Get Key
                short ["/v2/models/types"]
                full ["/v2/users/{user_id}/apps/{app_id}/models/types"]
                gate [GetModels]
                depending [GetApps, GetModels]
                guards [];
            ListModelInputs: Get Key
                short ["/v2/models/{model_id}/inputs", "/v2/models/{model_id}/versions/{version_id}/inputs"]
                full ["/v2/users/{user_id}/apps/{app_id}/models/{model_id}/inputs", "/v2/users/{user_id}/apps/{app_id}/models/{model_id}/versions/{version_id}/inputs"]
                gate [GetModels, GetInputs]
                depending [GetApps, GetAnnotations, GetConcepts, GetInputs, GetModels]
                guards [GetConcepts: "inputs[].data.concepts"];
            PostModelVersions: Post Key
                short ["/v2/models/{model_id}/versions"]
                full ["/v2/users/{user_id}/apps/{app_id}/models/{model_id}/versions"]
                gate [TrainModels]
                depending [GetApps, GetAnnotations, GetConcepts, GetInputs, AddModels, GetModels, TrainModels, GetWorkflows, GetMetrics, AddMetrics]
                guards [GetConcepts: "model.output_info.data.concepts"];
            ListModelVersions: Get Key
                short ["/v2/models/{model_id}/versions"]
                full ["/v2/users/{user_id}/apps/{app_id}/models/{model_id}/versions"]
                gate [GetModels]
                depending [GetApps, GetConcepts, GetModels]
                guards [GetConcepts: "model_versions[].output_info.data.concepts"];
            GetModelVersion: Get Key
                short ["/v2/models/{model_id}/versions/{version_id}"]
                full ["/v2/users/{user_id}/apps/{app_id}/models/{model_id}/versions/{version_id}"]
                gate [GetModels]
                depending [GetApps, GetConcepts, GetModels]
                guards [GetConcepts: "model_version.output_info.data.concepts"];
            DeleteModelVersion: Delete Key
                short ["/v2/models/{model_id}/versions/{version_id}"]
                full ["/v2/users/{user_id}/apps/{app_id}/models/{model_id}/versions/{version_id}"]
                gate [DeleteModels]
                depending [GetApps, GetConcepts, AddModels, DeleteModels, GetModels, GetWorkflows]
                guards [];
            ListConcepts: Get Key
                short ["/v2/concepts"]
                full ["/v2/users/{user_id}/apps/{app_id}/concepts"]
                gate [GetConcepts]
                depending [GetApps, GetConcepts]
                guards [];
            GetConcept: Get Key
                short ["/v2/concepts/{concept_id}"]
                full ["/v2/users/{user_id}/apps/{app_id}/concepts/{concept_id}"]
                gate [GetConcepts]
                depending [GetApps, GetConcepts]
                guards [];
            PostConcepts: Post Key
                short ["/v2/concepts"]
                full ["/v2/users/{user_id}/apps/{app_id}/concepts"]
                gate [AddConcepts]
                depending [GetApps, AddConcepts, GetConcepts]
                guards [];
            PatchConcepts: Patch Key
                short ["/v2/concepts"]
                full ["/v2/users/{user_id}/apps/{app_id}/concepts"]
                gate [AddConcepts]
                depending [GetApps, AddConcepts, GetConcepts]
                guards [];
            PostConceptsSearches: Post Key
                short ["/v2/concepts/searches"]
                full ["/v2/users/{user_id}/apps/{app_id}/concepts/searches"]
                gate [GetConcepts]
                depending [GetApps, GetConcepts, GetModels, GetWorkflows]
                guards [];
            GetConceptCounts: Get Key
                short ["/v2/concepts/status"]
                full ["/v2/users/{user_id}/apps/{app_id}/concepts/status"]
                gate [GetConcepts]
                depending [GetApps, GetAnnotations, GetConcepts, GetInputs]
                guards [];
            ListWorkflows: Get Key
                short ["/v2/workflows"]
                full ["/v2/users/{user_id}/apps/{app_id}/workflows"]
                gate [GetWorkflows]
                depending [GetApps, GetModels, GetWorkflows]
                guards [GetModels: "workflows[].nodes[].model"];
            GetWorkflow: Get Key
                short ["/v2/workflows/{workflow_id}"]
                full ["/v2/users/{user_id}/apps/{app_id}/workflows/{workflow_id}"]
                gate [GetWorkflows]
                depending [GetApps, GetModels, GetWorkflows]
                guards [GetModels: "workflow.nodes[].model"];
            PostWorkflows: Post Key
                short ["/v2/workflows"]
                full ["/v2/users/{user_id}/apps/{app_id}/workflows"]
                gate [AddWorkflows]
                depending [GetApps, GetModels, AddWorkflows, GetWorkflows]
                guards [GetModels: "workflows[].nodes[].model"];
            PatchWorkflows: Patch Key
                short ["/v2/workflows"]
                full ["/v2/users/{user_id}/apps/{app_id}/workflows"]
                gate [AddWorkflows]
                depending [GetApps, GetModels, AddWorkflows, GetWorkflows]
                guards [GetModels: "workflows[].nodes[].model"];
            DeleteWorkflow: Delete Key
                short ["/v2/workflows/{workflow_id}"]
                full ["/v2/users/{user_id}/apps/{app_id}/workflows/{workflow_id}"]
                gate [DeleteWorkflows]
                depending [GetApps, AddWorkflows, DeleteWorkflows, GetWorkflows]
                guards [];
            DeleteWorkflows: Delete Key
                short ["/v2/workflows"]
                full ["/v2/users/{user_id}/apps/{app_id}/workflows"]
                gate [DeleteWorkflows]
                depending [GetApps, AddWorkflows, DeleteWorkflows, GetWorkflows]
                guards [];
            ListAnnotations: Get Key
                short ["/v2/annotations"]
                full ["/v2/users/{user_id}/apps/{app_id}/annotations"]
                gate [GetAnnotations]
                depending [GetApps, GetInputs, GetAnnotations, GetConcepts, GetModels]
                guards [GetConcepts: "annotations[].data.concepts"];
            GetAnnotation: Get Key
                short ["/v2/inputs/{input_id}/annotations/{annotation_id}"]
                full ["/v2/users/{user_id}/apps/{app_id}/inputs/{input_id}/annotations/{annotation_id}"]
                gate [GetAnnotations]
                depending [GetApps, GetInputs, GetAnnotations, GetConcepts, GetModels]
                guards [GetConcepts: "annotation.data.concepts"];
            PostAnnotations: Post Key
                short ["/v2/annotations"]
                full ["/v2/users/{user_id}/apps/{app_id}/annotations"]
                gate [AddAnnotations]
                depending [GetApps, GetInputs, AddAnnotations, GetAnnotations, GetConcepts, GetModels, GetWorkflows]
                guards [GetConcepts: "annotations[].data.concepts"];
            PatchAnnotations: Patch Key
                short ["/v2/annotations"]
                full ["/v2/users/{user_id}/apps/{app_id}/annotations"]
                gate [AddAnnotations]
                depending [GetApps, GetInputs, AddAnnotations, GetAnnotations, GetConcepts, GetWorkflows, GetModels]
                guards [GetConcepts: "annotations[].data.concepts"];
            DeleteAnnotation: Delete Key
                short ["/v2/inputs/{input_id}/annotations/{annotation_id}"]
                full ["/v2/users/{user_id}/apps/{app_id}/inputs/{input_id}/annotations/{annotation_id}"]
                gate [DeleteAnnotations]
                depending [GetApps, GetInputs, AddAnnotations, DeleteAnnotations, GetAnnotations, GetWorkflows, GetModels]
                guards [];
            DeleteAnnotations: Delete Key
                short ["/v2/inputs/annotations", "/v2/annotations"]
                full ["/v2/users/{user_id}/apps/{app_id}/inputs/annotations", "/v2/users/{user_id}/apps/{app_id}/annotations"]
                gate [DeleteAnnotations]
                depending [GetApps, GetInputs, AddAnnotations, DeleteAnnotations, GetAnnotations, GetWorkflows, GetModels]
                guards [];
            MyScopes: Get Key
                short ["/v2/myscopes", "/v2/my_scopes"]
                full ["/v2/users/{user_id}/apps/{app_id}/myscopes"]
                gate []
                depending []
                guards [];
            GetApp: Get Key
                short ["/v2/app"]
                full ["/v2/users/{user_id}/apps/{app_id}"]
                gate [GetApps]
                depending [GetApps, GetWorkflows]
                guards [GetWorkflows: "app.default_workflow"];
            ListApps: Get PatOnly
                short ["/v2/apps"]
                full ["/v2/users/{user_id}/apps"]
                gate [GetApps]
                depending [GetApps, GetWorkflows]
                guards [GetWorkflows: "apps[].default_workflow"];
            PostKeys: Post PatOnly
                short []
                full ["/v2/users/{user_id}/keys"]
                gate [AddKeys]
                depending [GetApps, AddKeys, GetKeys]
                guards [];
            ListKeys: Get PatOnly
                short []
                full ["/v2/users/{user_id}/keys"]
                gate [GetKeys]
                depending [GetKeys]
                guards [];
            GetKey: Get PatOnly
                short []
                full ["/v2/users/{user_id}/keys/{key_id}"]
                gate [GetKeys]
                depending [GetKeys]
                guards [];
            PatchKeys: Patch PatOnly
                short []
                full ["/v2/users/{user_id}/keys"]
                gate [AddKeys]
                depending [AddKeys, GetKeys]
                guards [];
            DeleteKey: Delete PatOnly
                short []
                full ["/v2/users/{user_id}/keys/{key_id}"]
                gate [DeleteKeys]
                depending [AddKeys, DeleteKeys, GetKeys]
                guards [];
            ListAppKeys: Get PatOnly
                short []
                full ["/v2/users/{user_id}/apps/{app_id}/keys"]
                gate [GetKeys]
                depending [GetApps, GetKeys]
                guards [];
        }
    };
}

macro_rules! define_endpoints {
    ($(
        $rpc:ident: $method:ident $auth:ident
            short [$($short:literal),*]
            full [$($full:literal),*]
            gate [$($gate:ident),*]
            depending [$($dep:ident),*]
            guards [$($gscope:ident: $gpath:literal),*];
    )*) => {
        #[allow(non_camel_case_types, dead_code)]
        #[repr(u8)]
        enum Index { $($rpc,)* }

        /// An RPC of the endpoint table, such as [`Rpc::PostModelOutputs`]. Its spec is
        /// [`Rpc::spec`].
        ///
        /// A struct with one associated constant per RPC rather than an enum, so that the RPC
        /// names (`DeleteInputs`) do not clash with the scope markers (`scope::DeleteInputs`) in
        /// compiler messages.
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct Rpc(u8);

        #[allow(non_upper_case_globals)]
        impl Rpc {
            $(
                #[doc = concat!("`", stringify!($rpc), "`: `", define_endpoints!(@method $method), " ",
                    define_endpoints!(@first $($short,)* $($full,)*), "`.")]
                pub const $rpc: Rpc = Rpc(Index::$rpc as u8);
            )*

            /// Every RPC in the table.
            pub const ALL: &'static [Rpc] = &[$(Rpc::$rpc),*];

            const NAMES: &'static [&'static str] = &[$(stringify!($rpc)),*];

            /// The RPC's name as in the protos (`"PostModelOutputs"`).
            pub const fn name(self) -> &'static str {
                Self::NAMES[self.0 as usize]
            }

            /// The RPC's position in [`ENDPOINTS`].
            pub const fn index(self) -> usize {
                self.0 as usize
            }

            /// Looks an RPC up by its proto name.
            pub fn from_name(name: &str) -> Option<Rpc> {
                Self::NAMES.iter().position(|n| *n == name).map(|i| Rpc(i as u8))
            }

            /// The RPC's entry in the table.
            pub fn spec(self) -> &'static EndpointSpec {
                &ENDPOINTS[self.index()]
            }
        }

        /// Every endpoint, in [`Rpc`] order.
        pub static ENDPOINTS: &[EndpointSpec] = &[
            $(EndpointSpec {
                rpc: Rpc::$rpc,
                method: Method::$method,
                short_paths: &[$($short),*],
                full_paths: &[$($full),*],
                auth: Auth::$auth,
                gate: &[$(s::<scope::$gate>()),*],
                depending: &[$(s::<scope::$dep>()),*],
                guards: &[$(Guard { scope: s::<scope::$gscope>(), path: $gpath }),*],
            },)*
        ];
    };
    (@method Get) => { "GET" };
    (@method Post) => { "POST" };
    (@method Patch) => { "PATCH" };
    (@method Delete) => { "DELETE" };
    (@first $first:literal, $($rest:literal,)*) => { $first };
}

__endpoint_table!(define_endpoints);

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

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    const APP_PREFIX: &str = "/v2/users/{user_id}/apps/{app_id}";

    #[test]
    fn covers_the_52_rpcs_in_order() {
        assert_eq!(ENDPOINTS.len(), 52);
        for (i, e) in ENDPOINTS.iter().enumerate() {
            assert_eq!(e.rpc.index(), i);
            assert_eq!(Rpc::from_name(e.rpc.name()), Some(e.rpc));
            assert_eq!(EndpointSpec::of(e.rpc), e);
        }
    }

    #[test]
    fn every_scope_named_is_in_the_catalogue() {
        for e in ENDPOINTS {
            for s in e
                .gate
                .iter()
                .chain(e.depending)
                .chain(e.guards.iter().map(|g| &g.scope))
            {
                assert!(s.is_known(), "{}: {s:?}", e.rpc);
            }
        }
    }

    #[test]
    fn gates_are_depending_scopes_and_guards_are_not_gates() {
        for e in ENDPOINTS {
            for g in e.gate {
                assert!(
                    e.depending.contains(g),
                    "{}: gate {g:?} not depending",
                    e.rpc
                );
            }
            for g in e.guards {
                assert!(
                    e.depending.contains(&g.scope),
                    "{}: guard {:?}",
                    e.rpc,
                    g.scope
                );
                assert!(
                    !e.gate.contains(&g.scope),
                    "{}: guard {:?} is a gate",
                    e.rpc,
                    g.scope
                );
                assert!(g.segments().all(|(f, _)| !f.is_empty()), "{}", g.path);
            }
            let unique: HashSet<_> = e.depending.iter().collect();
            assert_eq!(unique.len(), e.depending.len(), "{}: repeated scope", e.rpc);
        }
    }

    #[test]
    fn no_two_endpoints_share_a_method_and_path() {
        let mut seen = HashSet::new();
        for e in ENDPOINTS {
            for p in e.short_paths.iter().chain(e.full_paths) {
                assert!(
                    seen.insert((e.method, *p)),
                    "{} {p} bound twice",
                    e.method.as_str()
                );
            }
        }
    }

    #[test]
    fn paths_have_the_documented_forms() {
        for e in ENDPOINTS {
            assert!(!e.full_paths.is_empty(), "{}", e.rpc);
            for p in e.full_paths {
                assert!(p.starts_with("/v2/users/{user_id}"), "{p}");
            }
            for p in e.short_paths {
                assert!(p.starts_with("/v2/") && !p.starts_with("/v2/users/"), "{p}");
            }
            // App-level short paths are the full paths without the user/app prefix.
            if e.auth == Auth::Key && !matches!(e.rpc, Rpc::GetApp | Rpc::MyScopes) {
                assert!(!e.short_paths.is_empty(), "{}", e.rpc);
                for p in e.short_paths {
                    let full = format!("{APP_PREFIX}{}", &p[3..]);
                    assert!(e.full_paths.contains(&full.as_str()), "{}: {full}", e.rpc);
                }
            }
            if e.auth == Auth::PatOnly && e.rpc != Rpc::ListApps {
                assert!(e.short_paths.is_empty(), "{}", e.rpc);
            }
        }
    }

    #[test]
    fn gates_follow_the_design() {
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
    }
}
