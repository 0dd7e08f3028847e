//! Example 1 of `participant: invite`, built from typed values: the request
//! body of the v1.0 page (`fixtures/seeds/invite-v1-fr/ex1-request.json`)
//! through `generated::v1`, and of the beta page
//! (`fixtures/seeds/invite-beta-ja/ex1-request.json`) through
//! `generated::beta`. The `invite` example sends them; `tests/invite.rs`
//! checks them against the documented bodies.

use generated::support::{Additional, Field};
use serde_json::json;

/// `{"@odata.type": odata_type}`, for values whose declared type does not
/// write its own annotation.
fn odata_type(odata_type: &str) -> Additional {
    [("@odata.type".to_owned(), json!(odata_type))]
        .into_iter()
        .collect()
}

/// The documented request body of one API version's page, from typed values
/// of its module; `$user` says who is invited.
macro_rules! invite_parameters {
    ($version:ident, $user:expr) => {
        pub mod $version {
            use super::*;
            use generated::$version::api::InviteParameters;
            use generated::$version::{
                AnyIdentity, AnyIdentitySet, Identity, IdentitySet, InvitationParticipantInfo,
            };

            /// The documented request body, from typed values.
            // `..Default::default()` may set nothing today, but keeps this
            // compiling when the version adds a property.
            #[allow(clippy::needless_update)]
            pub fn invite_parameters() -> InviteParameters {
                let user: Identity = $user;
                let identity = IdentitySet {
                    user: AnyIdentity::from(user).into(),
                    additional: odata_type("#microsoft.graph.identitySet"),
                    ..IdentitySet::default()
                };
                let participant = InvitationParticipantInfo {
                    replaces_call_id: Field::Value(
                        "a7ebfb2d-871e-419c-87af-27290b22e8db".to_owned(),
                    ),
                    identity: AnyIdentitySet::from(identity).into(),
                    additional: odata_type("#microsoft.graph.invitationParticipantInfo"),
                    ..InvitationParticipantInfo::default()
                };
                let mut parameters = InviteParameters::new(vec![participant]);
                parameters.client_context =
                    Field::Value("f2fa86af-3c51-4bc2-8fc0-475452d9764f".to_owned());
                parameters
            }
        }
    };
}

// The v1.0 page names the user `"string"` (a placeholder it documents).
invite_parameters!(
    v1,
    Identity {
        id: Field::Value("278405a3-f568-4b3e-b684-009193463064".to_owned()),
        display_name: Field::Value("string".to_owned()),
        additional: odata_type("#microsoft.graph.identity"),
        ..Identity::default()
    }
);

// The beta page has the undeclared `identityProvider` (an open type's extra property).
invite_parameters!(beta, {
    let mut user = Identity {
        id: Field::Value("278405a3-f568-4b3e-b684-009193463064".to_owned()),
        additional: odata_type("#microsoft.graph.identity"),
        ..Identity::default()
    };
    user.additional
        .insert("identityProvider".to_owned(), json!("AAD"));
    user
});
