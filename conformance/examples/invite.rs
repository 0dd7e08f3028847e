//! Invites one participant to an existing call: seed example 1 of
//! `participant: invite` (`fixtures/seeds/invite-beta-ja/ex1-request.json`),
//! built from typed values.
//!
//! ```sh
//! cargo run -p conformance --example invite                            # print the request
//! cargo run -p conformance --example invite -- <base-url> <token> [call-id]   # and send it
//! GRAPH_BASE_URL=... GRAPH_TOKEN=... cargo run -p conformance --example invite
//! ```
//!
//! The token is never printed.

use std::process::ExitCode;

use generated::api::{self, InviteParameters};
use generated::support::{Additional, Client, Field, OpenEnum, Request};
use generated::{
    AnyIdentity, AnyIdentitySet, Identity, IdentitySet, InvitationParticipantInfo,
    InviteParticipantsOperation,
};
use serde_json::json;

/// The call the documented notifications of this example are about.
const DOCUMENTED_CALL_ID: &str = "ab6233a5-20b7-4c5e-bea2-ce56c9776429";

/// `{"@odata.type": odata_type}`, for values whose declared type does not
/// write its own annotation.
fn odata_type(odata_type: &str) -> Additional {
    [("@odata.type".to_owned(), json!(odata_type))]
        .into_iter()
        .collect()
}

/// The documented request body, from typed values.
fn invite_parameters() -> InviteParameters {
    let mut user = Identity {
        id: Field::Value("278405a3-f568-4b3e-b684-009193463064".to_owned()),
        additional: odata_type("#microsoft.graph.identity"),
        ..Identity::default()
    };
    // Not declared by `microsoft.graph.identity`: an open type's extra property.
    user.additional
        .insert("identityProvider".to_owned(), json!("AAD"));
    let identity = IdentitySet {
        user: AnyIdentity::from(user).into(),
        additional: odata_type("#microsoft.graph.identitySet"),
        ..IdentitySet::default()
    };
    let participant = InvitationParticipantInfo {
        replaces_call_id: Field::Value("a7ebfb2d-871e-419c-87af-27290b22e8db".to_owned()),
        identity: AnyIdentitySet::from(identity).into(),
        additional: odata_type("#microsoft.graph.invitationParticipantInfo"),
        ..InvitationParticipantInfo::default()
    };
    let mut parameters = InviteParameters::new(vec![participant]);
    parameters.client_context = Field::Value("f2fa86af-3c51-4bc2-8fc0-475452d9764f".to_owned());
    parameters
}

/// Where to send the request, from the arguments or the environment.
struct Target {
    base_url: String,
    token: Option<String>,
    call_id: String,
}

fn target() -> Result<Target, String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let call_id = args
        .get(2)
        .cloned()
        .unwrap_or_else(|| DOCUMENTED_CALL_ID.to_owned());
    match args.as_slice() {
        [] => {
            let base_url = std::env::var("GRAPH_BASE_URL").ok();
            let token = std::env::var("GRAPH_TOKEN").ok();
            match (base_url, token) {
                (Some(base_url), Some(token)) => Ok(Target {
                    base_url,
                    token: Some(token),
                    call_id,
                }),
                (None, None) => Ok(Target {
                    base_url: Client::BETA.to_owned(),
                    token: None,
                    call_id,
                }),
                _ => Err("set both GRAPH_BASE_URL and GRAPH_TOKEN, or neither".to_owned()),
            }
        }
        [base_url, token] | [base_url, token, _] => Ok(Target {
            base_url: base_url.clone(),
            token: Some(token.clone()),
            call_id,
        }),
        _ => Err("usage: invite [<base-url> <token> [<call-id>]]".to_owned()),
    }
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let target = target()?;
    let request: Request<InviteParticipantsOperation> = api::communications()
        .calls()
        .by_id(&target.call_id)
        .and_then(|call| call.participants().invite(&invite_parameters()))
        .map_err(|e| e.to_string())?;

    println!("# {} {}", request.method(), request.url(&target.base_url));
    println!("{request}");

    let Some(token) = target.token else {
        println!();
        println!(
            "# not sent: pass <base-url> <token> (or set GRAPH_BASE_URL and GRAPH_TOKEN) to send it"
        );
        return Ok(());
    };
    let client = Client::new(target.base_url, token);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the runtime: {e}"))?;
    let response = runtime
        .block_on(client.send(&request))
        .map_err(|e| e.to_string())?;

    println!();
    println!("# HTTP {}", response.status);
    println!(
        "# Location: {}",
        response.location.as_deref().unwrap_or("(none)")
    );
    if let Some(id) = &response.request_id {
        println!("# request-id: {id}");
    }
    match &response.value {
        Some(operation) => {
            let status = operation
                .status
                .value()
                .map_or("(no status)", OpenEnum::as_str);
            println!(
                "# operation {} is {status}",
                operation.id.value().map_or("(no id)", String::as_str)
            );
            println!("{operation:#?}");
        }
        None => println!("# no body"),
    }
    Ok(())
}
