// A key type declaring more than sixteen scopes: its scope lists are written as nested tuples,
// and its constants, narrowing and `Grants` behave as for a short list.

use clarifai_typed::{Grants, Key, Scope, scope, scoped_key};

#[scoped_key(
    Predict, AddInputs, AddConcepts, AddModels, TrainModels, AddWorkflows, AddAnnotations, AddApps,
    AddKeys, AddCollaborators, AddMetrics, AddTasks, AddDatasets, AddSavedSearch, AddBulkOperation,
    AddUploads, AddRunners
)]
struct WideKey;

#[scoped_key(AddRunners, Predict)]
struct RunnerKey;

fn add_runners<K: Grants<scope::AddRunners>>(_key: &K) {}
fn get_uploads<K: Grants<scope::GetUploads>>(_key: &K) {}

fn main() {
    let wide = WideKey::new("0123456789abcdef").unwrap();
    add_runners(&wide);
    get_uploads(&wide);
    assert_eq!(WideKey::DECLARED.len(), 17);
    assert_eq!(WideKey::DECLARED[16], Scope::of::<scope::AddRunners>());
    // The closure, in the catalogue's order.
    let catalogue: Vec<Scope> = Scope::catalogue().filter(|s| WideKey::grants(s)).collect();
    assert_eq!(WideKey::SCOPES, catalogue.as_slice());
    assert!(WideKey::SCOPES.len() > 30);
    let runner: RunnerKey = wide.narrow();
    assert_eq!(RunnerKey::DECLARED, [Scope::of::<scope::AddRunners>(), Scope::of::<scope::Predict>()]);
    add_runners(&runner);
}
