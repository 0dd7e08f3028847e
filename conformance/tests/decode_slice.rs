//! `decode_slice` reads bytes straight into the generated types and gives
//! what `decode` gives from the parsed value, for every seed example of a
//! type that is JSON (the pages of both API versions, through each
//! version's module); errors agree on which input is refused.

use conformance::{Documents, fixture_text, manifest, repair_trailing_commas};

macro_rules! same_as_decode {
    ($version:ident) => {
        #[test]
        fn $version() {
            let mut checked = 0;
            for entry in manifest() {
                let Documents::Type { r#type } = &entry.documents else {
                    continue;
                };
                let text = repair_trailing_commas(&fixture_text(&entry));
                let Ok(value) = serde_json::from_str::<serde_json::Value>(&text) else {
                    continue;
                };
                let from_value = generated::$version::decode(r#type, value);
                let from_slice = generated::$version::decode_slice(r#type, text.as_bytes());
                match (from_value, from_slice) {
                    (Ok(a), Ok(b)) => assert_eq!(a, b, "{}", entry.fixture),
                    (Err(_), Err(_)) => {}
                    (a, b) => panic!("{}: decode {a:?}, decode_slice {b:?}", entry.fixture),
                }
                checked += 1;
            }
            assert!(checked >= 20, "only {checked} examples");
            let unknown = generated::$version::decode_slice("microsoft.graph.nothing", b"{}").unwrap_err();
            assert!(unknown.is_unknown_type());
            assert!(generated::$version::decode_slice("microsoft.graph.call", b"{").is_err());
        }
    };
}

same_as_decode!(beta);
same_as_decode!(v1);
