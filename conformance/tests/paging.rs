//! `Client::pages` and `.items()` against a scripted server on 127.0.0.1:
//! three pages linked by `@odata.nextLink`, the last with an
//! `@odata.deltaLink`, through the `api` of both API versions with typed
//! query options; item and page limits that stop fetching; a `nextLink` to
//! another origin refused.

use conformance::scripted::{Action, Server};
use generated::support::{Client, ClientError};
use serde_json::json;

/// Page `n` of 3 with two items, linked to the next on the server.
fn page(n: u32) -> Action {
    let url = "{base}";
    let items = json!([{"id": format!("item-{n}a")}, {"id": format!("item-{n}b")}]);
    let mut page = json!({"@odata.context": "$metadata#collection", "value": items});
    if n < 3 {
        page["@odata.nextLink"] = json!(format!("{url}/next?$skiptoken=page{}", n + 1));
    } else {
        page["@odata.deltaLink"] = json!(format!("{url}/next?$deltatoken=d1"));
    }
    Action::status(200, &page.to_string())
}

/// A server answering the three pages.
async fn three_pages() -> Server {
    Server::start(vec![page(1), page(2), page(3)]).await
}

macro_rules! paging {
    ($version:ident) => {
        mod $version {
            use super::*;

            use generated::$version::api::{CallRecordNavigation, CallRecordProperty};
            use generated::support::Direction;

            /// The call records, with typed query options.
            fn list() -> generated::support::Request<generated::support::Page<generated::$version::call_records::CallRecord>> {
                generated::$version::api::communications()
                    .call_records()
                    .list()
                    .select([CallRecordProperty::Id, CallRecordProperty::StartDateTime])
                    .expand([CallRecordNavigation::Sessions])
                    .order_by([(CallRecordProperty::StartDateTime, Direction::Descending)])
                    .filter(&format!("type eq {}", generated::support::string_literal("groupCall")))
                    .top(2)
                    .into()
            }

            #[tokio::test]
            async fn every_item_of_every_page_and_the_delta_link() {
                let server = three_pages().await;
                let client = Client::new(&server.url, "t");
                let mut items = client.pages(list()).items();
                let mut ids = Vec::new();
                while let Some(item) = items.next().await {
                    ids.push(item.unwrap().id.into_value().unwrap());
                }
                assert_eq!(ids, ["item-1a", "item-1b", "item-2a", "item-2b", "item-3a", "item-3b"]);
                assert_eq!(items.delta_link(), Some(format!("{}/next?$deltatoken=d1", server.url).as_str()));
                let targets: Vec<String> = server.received().iter().map(|r| r.target.clone()).collect();
                // Encoded once: the URL parser writes `'` as `%27` in a query, never `%2527`.
                assert_eq!(
                    targets,
                    [
                        "/communications/callRecords?$select=id,startDateTime&$expand=sessions\
                         &$orderby=startDateTime%20desc&$filter=type%20eq%20%27groupCall%27&$top=2",
                        "/next?$skiptoken=page2",
                        "/next?$skiptoken=page3",
                    ]
                );
                // Every page with the token.
                assert!(server.received().iter().all(|r| r.header("authorization") == Some("Bearer t")));
            }

            #[tokio::test]
            async fn limits_stop_fetching() {
                let server = three_pages().await;
                let client = Client::new(&server.url, "t");
                let mut items = client.pages(list()).max_items(3).items();
                let mut count = 0;
                while let Some(item) = items.next().await {
                    item.unwrap();
                    count += 1;
                }
                assert_eq!(count, 3);
                assert_eq!(server.received().len(), 2, "the third page is not fetched");
                assert_eq!(items.delta_link(), None);

                let server = three_pages().await;
                let client = Client::new(&server.url, "t");
                let mut pages = client.pages(list()).max_pages(1);
                let first = pages.next().await.unwrap().unwrap();
                assert_eq!(first.value.len(), 2);
                assert!(pages.next().await.is_none());
                assert_eq!(server.received().len(), 1);
            }
        }
    };
}

paging!(beta);
paging!(v1);

#[tokio::test]
async fn a_page_linking_to_itself_ends_the_collection() {
    let own = json!({"value": [{"id": "1"}], "@odata.nextLink": "{base}/communications/callRecords"});
    let server = Server::start(vec![Action::status(200, &own.to_string()), Action::status(200, &own.to_string())]).await;
    let client = Client::new(&server.url, "t");
    let mut items = client.pages(generated::v1::api::communications().call_records().list()).items();
    assert!(items.next().await.unwrap().is_ok());
    assert!(items.next().await.is_none());
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn a_next_link_elsewhere_ends_with_an_error_and_sends_nothing_there() {
    let other = Server::start(vec![Action::status(200, r#"{"value": []}"#)]).await;
    let link = json!({"value": [{"id": "1"}], "@odata.nextLink": format!("{}/steal", other.url)});
    let server = Server::start(vec![Action::status(200, &link.to_string())]).await;
    let client = Client::new(&server.url, "t");
    let mut items = client.pages(generated::v1::api::communications().call_records().list()).items();
    assert!(items.next().await.unwrap().is_ok());
    let error = items.next().await.unwrap().unwrap_err();
    assert!(matches!(error, ClientError::ForeignUrl(_)), "{error:?}");
    assert!(other.received().is_empty());
}
