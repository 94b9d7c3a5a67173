//! The Clarifai scope catalogue, written once.
//!
//! This crate is an implementation detail of `clarifai-typed`: depend on `clarifai-typed` and use
//! `clarifai_typed::Scope` and `clarifai_typed::scope` instead. It exists so that the proc-macro
//! crate (which validates `#[scoped_key(...)]` lists and closes them over their dependencies) and the
//! runtime crate (marker types, `Scope` values) read the *same* table: [`scope_table!`] is the one
//! declaration, and [`SCOPES`] is its plain-data form.
//!
//! Source: every scope marked exposed in Clarifai's `proto/clarifai/auth/scope/scope.proto`
//! (clarifai-nodejs-grpc @ 9f55408, section 2.2 of the project's API notes). Internal, non-exposed
//! scopes (`Outputs:Patch`, `Concepts:Delete`, `Models:Sync`, `TSNEVisualizations:*`,
//! `HistoricalUsage:Get`) are left out: a key cannot be granted them. The wire spelling is the
//! colon form; that it is the form the server prints is the best evidence, not confirmed.
#![no_std]

pub mod endpoints;

/// Calls `$callback! { Name = number, "Wire:Name", [flags], [dependencies]; ... }` with every
/// exposed scope, in the order of the proto's table.
///
/// * `Name`: the Rust name, verb first (`Inputs:Add` is `AddInputs`).
/// * `number`: the value of the proto enum `clarifai.auth.scope.S`.
/// * `flags`: empty, or `deprecated`.
/// * `dependencies`: the scopes Clarifai's portal grants with this one (`clarifai_depending_scopes`).
#[macro_export]
macro_rules! scope_table {
    ($callback:path) => {
        $callback! {
            All = 1, "All", [], [];
            Predict = 2, "Predict", [], [];
            AddInputs = 4, "Inputs:Add", [], [GetInputs];
            GetInputs = 5, "Inputs:Get", [], [];
            PatchInputs = 7, "Inputs:Patch", [deprecated], [AddInputs, GetInputs];
            DeleteInputs = 8, "Inputs:Delete", [], [AddInputs, GetInputs];
            AddConcepts = 10, "Concepts:Add", [], [GetConcepts];
            GetConcepts = 11, "Concepts:Get", [], [];
            PatchConcepts = 12, "Concepts:Patch", [deprecated], [AddConcepts, GetConcepts];
            AddModels = 14, "Models:Add", [], [GetModels];
            GetModels = 15, "Models:Get", [], [];
            PatchModels = 16, "Models:Patch", [deprecated], [AddModels, GetModels, TrainModels];
            DeleteModels = 17, "Models:Delete", [], [AddModels, GetModels];
            TrainModels = 26, "Models:Train", [], [GetModels];
            GetModelExports = 142, "ModelExports:Get", [], [];
            AddModelExports = 143, "ModelExports:Add", [], [GetModelExports];
            PullModels = 150, "Models:Pull", [], [GetModels];
            AddWorkflows = 18, "Workflows:Add", [], [GetWorkflows];
            GetWorkflows = 19, "Workflows:Get", [], [];
            PatchWorkflows = 20, "Workflows:Patch", [deprecated], [AddWorkflows, GetWorkflows];
            DeleteWorkflows = 21, "Workflows:Delete", [], [AddWorkflows, GetWorkflows];
            GetWorkflowMetrics = 96, "WorkflowMetrics:Get", [deprecated], [];
            AddWorkflowMetrics = 97, "WorkflowMetrics:Add", [], [GetWorkflowMetrics];
            DeleteWorkflowMetrics = 98, "WorkflowMetrics:Delete", [], [AddWorkflowMetrics, GetWorkflowMetrics];
            AddAnnotations = 37, "Annotations:Add", [], [GetAnnotations];
            GetAnnotations = 38, "Annotations:Get", [], [];
            PatchAnnotations = 39, "Annotations:Patch", [deprecated], [AddAnnotations, GetAnnotations];
            DeleteAnnotations = 40, "Annotations:Delete", [], [AddAnnotations, GetAnnotations];
            AddCollectors = 41, "Collectors:Add", [deprecated], [GetCollectors];
            GetCollectors = 42, "Collectors:Get", [deprecated], [];
            DeleteCollectors = 43, "Collectors:Delete", [deprecated], [AddCollectors, GetCollectors];
            AddApps = 44, "Apps:Add", [], [GetApps];
            GetApps = 45, "Apps:Get", [], [];
            DeleteApps = 46, "Apps:Delete", [], [AddApps, GetApps];
            AddKeys = 47, "Keys:Add", [], [GetKeys];
            GetKeys = 48, "Keys:Get", [], [];
            DeleteKeys = 49, "Keys:Delete", [], [AddKeys, GetKeys];
            AddCollaborators = 51, "Collaborators:Add", [], [GetCollaborators];
            GetCollaborators = 50, "Collaborators:Get", [], [];
            DeleteCollaborators = 52, "Collaborators:Delete", [], [AddCollaborators, GetCollaborators];
            AddMetrics = 54, "Metrics:Add", [], [GetMetrics];
            GetMetrics = 53, "Metrics:Get", [], [];
            DeleteMetrics = 63, "Metrics:Delete", [], [AddMetrics, GetMetrics];
            AddTasks = 55, "Tasks:Add", [], [GetTasks];
            GetTasks = 56, "Tasks:Get", [], [];
            DeleteTasks = 70, "Tasks:Delete", [], [AddTasks, GetTasks];
            AddPasswordPolicies = 57, "PasswordPolicies:Add", [], [GetPasswordPolicies];
            GetPasswordPolicies = 58, "PasswordPolicies:Get", [], [];
            DeletePasswordPolicies = 59, "PasswordPolicies:Delete", [], [AddPasswordPolicies, GetPasswordPolicies];
            GetLabelOrders = 67, "LabelOrders:Get", [], [];
            AddLabelOrders = 68, "LabelOrders:Add", [], [GetLabelOrders];
            DeleteLabelOrders = 69, "LabelOrders:Delete", [], [AddLabelOrders, GetLabelOrders];
            AddFindDuplicateAnnotationsJobs = 102, "FindDuplicateAnnotationsJobs:Add", [deprecated], [GetFindDuplicateAnnotationsJobs];
            GetFindDuplicateAnnotationsJobs = 103, "FindDuplicateAnnotationsJobs:Get", [], [];
            DeleteFindDuplicateAnnotationsJobs = 104, "FindDuplicateAnnotationsJobs:Delete", [], [AddFindDuplicateAnnotationsJobs, GetFindDuplicateAnnotationsJobs];
            GetDatasets = 105, "Datasets:Get", [], [];
            AddDatasets = 106, "Datasets:Add", [], [GetDatasets];
            DeleteDatasets = 107, "Datasets:Delete", [], [GetDatasets, AddDatasets];
            AddModules = 108, "Modules:Add", [deprecated], [GetModules];
            GetModules = 109, "Modules:Get", [deprecated], [];
            DeleteModules = 110, "Modules:Delete", [deprecated], [AddModules, GetModules];
            AddInstalledModuleVersions = 111, "InstalledModuleVersions:Add", [deprecated], [GetInstalledModuleVersions, GetModules];
            GetInstalledModuleVersions = 112, "InstalledModuleVersions:Get", [deprecated], [GetModules];
            DeleteInstalledModuleVersions = 113, "InstalledModuleVersions:Delete", [deprecated], [AddInstalledModuleVersions, GetInstalledModuleVersions, GetModules];
            Search = 3, "Search", [], [];
            GetSavedSearch = 114, "SavedSearch:Get", [], [];
            AddSavedSearch = 115, "SavedSearch:Add", [], [GetSavedSearch];
            DeleteSavedSearch = 116, "SavedSearch:Delete", [], [GetSavedSearch, AddSavedSearch];
            AddModelVersionPublications = 117, "ModelVersionPublications:Add", [], [];
            DeleteModelVersionPublications = 118, "ModelVersionPublications:Delete", [], [];
            AddWorkflowPublications = 119, "WorkflowPublications:Add", [], [];
            DeleteWorkflowPublications = 120, "WorkflowPublications:Delete", [], [];
            AddBulkOperation = 121, "BulkOperation:Add", [], [GetBulkOperation];
            GetBulkOperation = 122, "BulkOperation:Get", [], [];
            DeleteBulkOperation = 123, "BulkOperation:Delete", [], [AddBulkOperation, GetBulkOperation];
            GetUploads = 128, "Uploads:Get", [], [];
            AddUploads = 129, "Uploads:Add", [], [GetUploads];
            DeleteUploads = 130, "Uploads:Delete", [], [GetUploads, AddUploads];
            GetRunners = 131, "Runners:Get", [], [];
            AddRunners = 132, "Runners:Add", [], [GetRunners];
            DeleteRunners = 133, "Runners:Delete", [], [GetRunners, AddRunners];
            GetRunnerItems = 134, "RunnerItems:Get", [], [];
            AddRunnerItems = 135, "RunnerItems:Add", [], [GetRunnerItems];
            GetNodepools = 136, "Nodepools:Get", [], [];
            AddNodepools = 137, "Nodepools:Add", [], [GetNodepools];
            DeleteNodepools = 138, "Nodepools:Delete", [], [GetNodepools, AddNodepools];
            GetComputeClusters = 139, "ComputeClusters:Get", [], [];
            AddComputeClusters = 140, "ComputeClusters:Add", [], [GetComputeClusters];
            DeleteComputeClusters = 141, "ComputeClusters:Delete", [], [GetComputeClusters, AddComputeClusters];
            GetDeployments = 144, "Deployments:Get", [], [];
            AddDeployments = 145, "Deployments:Add", [], [GetDeployments];
            DeleteDeployments = 146, "Deployments:Delete", [], [GetDeployments, AddDeployments];
            GetInstanceTypes = 148, "InstanceTypes:Get", [], [];
            GetAuditLogs = 149, "AuditLogs:Get", [], [];
            GetLogEntries = 151, "LogEntries:Get", [], [];
            GetWorkflowVersionEvaluations = 152, "WorkflowVersionEvaluations:Get", [], [];
            AddWorkflowVersionEvaluations = 153, "WorkflowVersionEvaluations:Add", [], [GetWorkflowVersionEvaluations];
            GetPipelines = 154, "Pipelines:Get", [], [];
            AddPipelines = 155, "Pipelines:Add", [], [GetPipelines];
            DeletePipelines = 156, "Pipelines:Delete", [], [GetPipelines, AddPipelines];
            GetPipelineSteps = 157, "PipelineSteps:Get", [], [];
            AddPipelineSteps = 158, "PipelineSteps:Add", [], [GetPipelineSteps];
            PullPipelineSteps = 159, "PipelineSteps:Pull", [], [GetPipelineSteps];
            GetSecrets = 160, "Secrets:Get", [], [];
            AddSecrets = 161, "Secrets:Add", [], [GetSecrets];
            DeleteSecrets = 162, "Secrets:Delete", [], [GetSecrets, AddSecrets];
            GetUserMetrics = 163, "UserMetrics:Get", [], [];
            GetAnnotationTracks = 166, "AnnotationTracks:Get", [], [];
            AddAnnotationTracks = 167, "AnnotationTracks:Add", [], [];
            DeleteAnnotationTracks = 168, "AnnotationTracks:Delete", [], [];
            DeletePipelineSteps = 169, "PipelineSteps:Delete", [], [GetPipelineSteps, AddPipelineSteps];
            GetArtifacts = 170, "Artifacts:Get", [], [];
            AddArtifacts = 171, "Artifacts:Add", [], [GetArtifacts];
        }
    };
}

/// A scope, as its index into [`SCOPES`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ScopeId(pub u8);

impl ScopeId {
    /// The scope's row.
    pub const fn def(self) -> &'static ScopeDef {
        &SCOPES[self.0 as usize]
    }
}

/// One row of the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScopeDef {
    /// The Rust name (`AddInputs`), also the name of the marker type in `clarifai_typed::scope`.
    pub rust_name: &'static str,
    /// The wire name (`Inputs:Add`).
    pub wire: &'static str,
    /// The number of the scope in the proto enum.
    pub number: u16,
    /// Whether the proto marks the scope deprecated (no longer checked by the server).
    pub deprecated: bool,
    /// Indices into [`SCOPES`] of the scopes granted together with this one.
    pub dependencies: &'static [u8],
}

macro_rules! define_data {
    ($($name:ident = $num:literal, $wire:literal, [$($flag:ident)?], [$($dep:ident),*];)*) => {
        #[allow(non_camel_case_types, dead_code)]
        #[repr(u8)]
        enum Index { $($name,)* }

        /// One constant per scope, named like its marker type (`DeleteInputs`): how
        /// [`endpoints`] rows name scopes, checked by the compiler.
        #[allow(non_upper_case_globals)]
        pub mod scope_ids {
            use super::{Index, ScopeId};
            $(
                #[doc = concat!("`", $wire, "`")]
                pub const $name: ScopeId = ScopeId(Index::$name as u8);
            )*
        }

        /// Every exposed scope, in table order. The index of a row is stable within one version.
        pub const SCOPES: &[ScopeDef] = &[
            $(ScopeDef {
                rust_name: stringify!($name),
                wire: $wire,
                number: $num,
                deprecated: define_data!(@flag $($flag)?),
                dependencies: &[$(Index::$dep as u8),*],
            },)*
        ];
    };
    (@flag deprecated) => { true };
    (@flag) => { false };
}

scope_table!(define_data);

/// The index of the `All` scope in [`SCOPES`].
pub const ALL: u8 = Index::All as u8;
/// The index of the `Apps:Get` scope in [`SCOPES`], which every key holds.
pub const GET_APPS: u8 = Index::GetApps as u8;

/// Looks a scope up by its Rust name.
pub fn by_rust_name(name: &str) -> Option<u8> {
    SCOPES.iter().position(|s| s.rust_name == name).map(index)
}

/// Looks a scope up by its wire name, in the colon (`Inputs:Add`) or underscore (`Inputs_Add`) form.
pub fn by_wire_name(name: &str) -> Option<u8> {
    SCOPES
        .iter()
        .position(|s| s.wire == name || same_with_underscore(s.wire, name))
        .map(index)
}

fn same_with_underscore(wire: &str, name: &str) -> bool {
    match (wire.split_once(':'), name.split_once('_')) {
        (Some((wr, wv)), Some((nr, nv))) => wr == nr && wv == nv,
        _ => false,
    }
}

fn index(position: usize) -> u8 {
    // The table has fewer than 256 rows (checked by a test), so this never truncates.
    position as u8
}

/// Closes a set of scopes (indices into [`SCOPES`]) over their dependencies and adds `Apps:Get`,
/// the way Clarifai's portal grants them. `All` closes to every scope. Returns a membership mask.
pub fn closure(declared: impl IntoIterator<Item = u8>) -> [bool; SCOPES.len()] {
    let mut held = [false; SCOPES.len()];
    let mut stack: [u8; SCOPES.len()] = [0; SCOPES.len()];
    let mut top = 0;
    let push = |i: u8,
                held: &mut [bool; SCOPES.len()],
                stack: &mut [u8; SCOPES.len()],
                top: &mut usize| {
        if !held[i as usize] {
            held[i as usize] = true;
            stack[*top] = i;
            *top += 1;
        }
    };
    push(GET_APPS, &mut held, &mut stack, &mut top);
    for i in declared {
        if i == ALL {
            return [true; SCOPES.len()];
        }
        push(i, &mut held, &mut stack, &mut top);
    }
    while top > 0 {
        top -= 1;
        let i = stack[top];
        for &d in SCOPES[i as usize].dependencies {
            push(d, &mut held, &mut stack, &mut top);
        }
    }
    held
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_fits_in_u8_and_names_are_unique() {
        assert!(SCOPES.len() < 256);
        for (i, a) in SCOPES.iter().enumerate() {
            for b in &SCOPES[i + 1..] {
                assert_ne!(a.rust_name, b.rust_name);
                assert_ne!(a.wire, b.wire);
                assert_ne!(a.number, b.number);
            }
        }
    }

    #[test]
    fn rust_names_are_verb_first_wire_names() {
        for s in SCOPES {
            match s.wire.split_once(':') {
                Some((resource, verb)) => {
                    assert!(s.rust_name.starts_with(verb), "{}", s.rust_name);
                    assert_eq!(&s.rust_name[verb.len()..], resource, "{}", s.rust_name);
                }
                None => assert_eq!(s.rust_name, s.wire),
            }
        }
    }

    #[test]
    fn lookups_accept_both_wire_forms() {
        let add = by_rust_name("AddInputs").unwrap();
        assert_eq!(by_wire_name("Inputs:Add"), Some(add));
        assert_eq!(by_wire_name("Inputs_Add"), Some(add));
        assert_eq!(
            by_wire_name("SavedSearch_Get"),
            by_rust_name("GetSavedSearch")
        );
        assert_eq!(by_wire_name("Predict"), by_rust_name("Predict"));
        assert_eq!(by_wire_name("Inputs-Add"), None);
        assert_eq!(by_wire_name("Inputs:"), None);
    }

    #[test]
    fn closure_follows_dependencies_and_adds_get_apps() {
        let delete = by_rust_name("DeleteInputs").unwrap();
        let held = closure([delete]);
        let names: [&str; 4] = ["DeleteInputs", "AddInputs", "GetInputs", "GetApps"];
        for n in names {
            assert!(held[by_rust_name(n).unwrap() as usize], "{n}");
        }
        assert_eq!(held.iter().filter(|h| **h).count(), 4);
        // Transitive: InstalledModuleVersions:Delete -> ...:Add -> ...:Get, Modules:Get.
        let deep = closure([by_rust_name("DeleteInstalledModuleVersions").unwrap()]);
        assert!(deep[by_rust_name("GetModules").unwrap() as usize]);
        assert!(closure([ALL]).iter().all(|h| *h));
        assert_eq!(closure([]).iter().filter(|h| **h).count(), 1);
    }
}
