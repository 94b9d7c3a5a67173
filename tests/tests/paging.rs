//! Pagination streams against the emulator: every item once and in order whatever the page size,
//! one request per page, the stop at the first short page, and errors ending the stream.

#![allow(clippy::unwrap_used)] // a test: a failed unwrap is a failed test

use std::collections::HashSet;

use clarifai_emulator::{Emulator, RunningEmulator};
use clarifai_typed::models::{And, Concept, Data, Input, ListResponse, Query};
use clarifai_typed::{Client, Error, Scope, scope, scoped_key};
use futures_util::StreamExt;

/// Every scope.
#[scoped_key(All)]
pub struct FullKey;

/// How many inputs the app holds.
const N: usize = 300;

fn tiny_png() -> Vec<u8> {
    clarifai_emulator::samples::png(2, 2, |x, y| [x as u8 * 200, y as u8 * 200, 90])
}

fn id(i: usize) -> String {
    format!("in-{i:04}")
}

/// An emulator whose app holds `N` inputs (`in-0000` ...), all labelled `thing`, added in batches
/// of 128; a client with every scope and its secret.
async fn app_with_inputs() -> (RunningEmulator, Client<FullKey>, String) {
    let emu = Emulator::builder().start().await.unwrap();
    let secret = emu.create_key(&[Scope::of::<scope::All>()]);
    let client = Client::builder(FullKey::new(secret.clone()).unwrap())
        .base_url(emu.base_url())
        .build()
        .unwrap();
    let png = tiny_png();
    let all: Vec<usize> = (0..N).collect();
    for batch in all.chunks(128) {
        client
            .add_inputs()
            .inputs(batch.iter().map(|&i| {
                Input::from_bytes(png.clone())
                    .with_id(id(i))
                    .with_concepts([Concept::positive("thing")])
            }))
            .await
            .unwrap();
    }
    emu.wait_idle().await;
    (emu, client, secret)
}

fn expected_ids() -> Vec<String> {
    (0..N).map(id).collect()
}

fn assert_no_duplicates(ids: &[String]) {
    let unique: HashSet<&String> = ids.iter().collect();
    assert_eq!(
        unique.len(),
        ids.len(),
        "duplicates among {} ids",
        ids.len()
    );
}

#[tokio::test]
async fn items_are_every_input_once_in_order_whatever_the_page_size() {
    let (_emu, client, _) = app_with_inputs().await;
    // The order of one big page is the order the server lists.
    let one_page = client.list_inputs().page(1, 1000).await.unwrap();
    let listed: Vec<String> = one_page.inputs.iter().map(|i| i.id.clone()).collect();
    assert_eq!(listed, expected_ids());

    for (size, requests) in [(1000, 1), (128, 3), (7, N.div_ceil(7))] {
        let mut items = client.list_inputs().page_size(size).items();
        assert_eq!(items.page_size(), size);
        let mut ids = Vec::new();
        while let Some(input) = items.next().await {
            ids.push(input.unwrap().id);
        }
        assert_eq!(ids.len(), N, "page size {size}");
        assert_no_duplicates(&ids);
        assert_eq!(ids, listed, "page size {size}: the order changed");
        assert_eq!(items.requests() as usize, requests, "page size {size}");
        // Ended for good.
        assert!(items.next().await.is_none());
    }

    // No page size: the API's default, 128.
    let mut items = client.list_inputs().items();
    assert_eq!(items.page_size(), clarifai_typed::client::DEFAULT_PAGE_SIZE);
    let mut count = 0;
    while let Some(input) = items.next().await {
        input.unwrap();
        count += 1;
    }
    assert_eq!(count, N);
    assert_eq!(items.requests(), 3);

    // The streams are `Send`: read one on another task.
    let client = client.clone();
    let spawned = tokio::spawn(async move {
        let mut items = client.list_inputs().page_size(50).items();
        let mut count = 0;
        while let Some(input) = items.next().await {
            input.unwrap();
            count += 1;
        }
        count
    });
    assert_eq!(spawned.await.unwrap(), N);
}

#[tokio::test]
async fn pages_stop_at_the_first_short_page() {
    let (_emu, client, _) = app_with_inputs().await;

    // 300 = 42 × 7 + 6: 43 requests, the last page short.
    let mut pages = client.list_inputs().page_size(7).pages();
    let mut sizes = Vec::new();
    while let Some(page) = pages.next().await {
        sizes.push(page.unwrap().len());
    }
    assert_eq!(sizes.len(), N.div_ceil(7));
    assert_eq!(pages.requests() as usize, sizes.len());
    assert!(
        sizes[..sizes.len() - 1].iter().all(|&s| s == 7),
        "{sizes:?}"
    );
    assert_eq!(sizes.last(), Some(&(N % 7)));

    // A page size dividing the count: the full pages, then one empty page says the end.
    let pages: Vec<_> = client.list_inputs().page_size(100).pages().collect().await;
    let sizes: Vec<usize> = pages.into_iter().map(|p| p.unwrap().len()).collect();
    assert_eq!(sizes, [100, 100, 100, 0]);

    // Sizes above the API's largest are clamped, as the server clamps them.
    let pages = client.list_inputs().page_size(5000).pages();
    assert_eq!(pages.page_size(), clarifai_typed::client::MAX_PAGE_SIZE);
    let pages: Vec<_> = pages.collect().await;
    assert_eq!(pages.len(), 1);
    assert_eq!(pages[0].as_ref().unwrap().len(), N);

    // The stream starts at the request's page.
    let rest: Vec<String> = client
        .list_inputs()
        .page(3, 50)
        .items()
        .map(|i| i.unwrap().id)
        .collect()
        .await;
    assert_eq!(rest, expected_ids()[100..]);
}

#[tokio::test]
async fn other_lists_and_searches_stream_too() {
    let (_emu, client, _) = app_with_inputs().await;

    // A search: `pagination` in the body.
    let labelled = Query::ands([And::input(Input::from_data(
        Data::default().with_concepts([Concept::positive("thing")]),
    ))]);
    let mut hits = client.search().query(labelled).page_size(64).items();
    let mut ids = Vec::new();
    while let Some(hit) = hits.next().await {
        let hit = hit.unwrap();
        let input = hit.input.visible().and_then(|i| i.as_ref()).unwrap();
        ids.push(input.id.clone());
    }
    assert_eq!(ids.len(), N);
    assert_no_duplicates(&ids);
    assert_eq!(hits.requests() as usize, N.div_ceil(64));

    // Concepts: 20 of them, 3 a page.
    client
        .add_concepts()
        .with(|r| {
            r.concepts
                .extend((0..20).map(|i| Concept::new(format!("c{i:02}"))));
        })
        .await
        .unwrap();
    let mut concepts = client.list_concepts().page_size(3).items();
    let mut names = Vec::new();
    while let Some(c) = concepts.next().await {
        names.push(c.unwrap().id);
    }
    assert_no_duplicates(&names);
    assert!(names.len() >= 20, "{names:?}");
    assert_eq!(concepts.requests() as usize, names.len() / 3 + 1);
}

#[tokio::test]
async fn an_error_mid_stream_is_yielded_and_ends_it() {
    let (emu, client, secret) = app_with_inputs().await;

    let mut pages = client.list_inputs().page_size(100).pages();
    assert_eq!(pages.next().await.unwrap().unwrap().len(), 100);
    // The key expires between two pages: the next page is refused.
    assert!(emu.set_key_expiry(&secret, Some("2001-01-01T00:00:00Z")));
    let err = pages.next().await.unwrap().unwrap_err();
    assert!(matches!(err, Error::InvalidKey { .. }), "{err:?}");
    assert!(pages.next().await.is_none());
    assert!(pages.next().await.is_none());
    assert_eq!(pages.requests(), 2);

    // The same through items: the items of the first page, the error, the end.
    assert!(emu.set_key_expiry(&secret, None));
    let mut items = client.list_inputs().page_size(100).items();
    for i in 0..100 {
        assert_eq!(items.next().await.unwrap().unwrap().id, id(i));
    }
    assert!(emu.set_key_expiry(&secret, Some("2001-01-01T00:00:00Z")));
    let err = items.next().await.unwrap().unwrap_err();
    assert!(matches!(err, Error::InvalidKey { .. }), "{err:?}");
    assert!(items.next().await.is_none());
    assert_eq!(items.requests(), 2);
}
