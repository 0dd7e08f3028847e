//! Invites one participant to an existing call: example 1 of
//! `participant: invite`, built from typed values of `generated::v1` (the
//! v1.0 page, `fixtures/seeds/invite-v1-fr/ex1-request.json`), or with
//! `--beta` of `generated::beta` (`fixtures/seeds/invite-beta-ja/ex1-request.json`).
//!
//! ```sh
//! cargo run -p conformance --example invite                            # print the request
//! cargo run -p conformance --example invite -- <base-url> <token> [call-id]   # and send it
//! cargo run -p conformance --example invite -- --beta [<base-url> <token> [call-id]]
//! GRAPH_BASE_URL=... GRAPH_TOKEN=... cargo run -p conformance --example invite
//! ```
//!
//! The token is never printed.

use std::process::ExitCode;

use conformance::invite::{beta, v1};
use generated::support::{Client, OpenEnum, Request};

/// The call the documented notifications of this example are about.
const DOCUMENTED_CALL_ID: &str = "ab6233a5-20b7-4c5e-bea2-ce56c9776429";

/// Where to send the request, from the arguments or the environment.
struct Target {
    beta: bool,
    base_url: String,
    token: Option<String>,
    call_id: String,
}

fn target() -> Result<Target, String> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let beta = args.first().is_some_and(|a| a == "--beta");
    if beta {
        args.remove(0);
    }
    let service_root = if beta { Client::BETA } else { Client::V1 };
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
                    beta,
                    base_url,
                    token: Some(token),
                    call_id,
                }),
                (None, None) => Ok(Target {
                    beta,
                    base_url: service_root.to_owned(),
                    token: None,
                    call_id,
                }),
                _ => Err("set both GRAPH_BASE_URL and GRAPH_TOKEN, or neither".to_owned()),
            }
        }
        [base_url, token] | [base_url, token, _] => Ok(Target {
            beta,
            base_url: base_url.clone(),
            token: Some(token.clone()),
            call_id,
        }),
        _ => Err("usage: invite [--beta] [<base-url> <token> [<call-id>]]".to_owned()),
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
    if target.beta {
        let request = generated::beta::api::communications()
            .calls()
            .by_id(&target.call_id)
            .and_then(|call| call.participants().invite(&beta::invite_parameters()))
            .map_err(|e| e.to_string())?;
        send(target, request)
    } else {
        let request = generated::v1::api::communications()
            .calls()
            .by_id(&target.call_id)
            .and_then(|call| call.participants().invite(&v1::invite_parameters()))
            .map_err(|e| e.to_string())?;
        send(target, request)
    }
}

/// Prints `request`, and sends it if there is a token. The answer is the
/// operation of the version asked for; both have `id` and `status`.
fn send<T>(target: Target, request: Request<T>) -> Result<(), String>
where
    T: serde::de::DeserializeOwned + std::fmt::Debug + Operation,
{
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
            let (id, status) = operation.id_and_status();
            println!(
                "# operation {} is {}",
                id.unwrap_or("(no id)"),
                status.unwrap_or("(no status)")
            );
            println!("{operation:#?}");
        }
        None => println!("# no body"),
    }
    Ok(())
}

/// The operation an invite answers with, in either version.
trait Operation {
    fn id_and_status(&self) -> (Option<&str>, Option<&str>);
}

macro_rules! operation_of {
    ($version:ident) => {
        impl Operation for generated::$version::InviteParticipantsOperation {
            fn id_and_status(&self) -> (Option<&str>, Option<&str>) {
                (
                    self.id.value().map(String::as_str),
                    self.status.value().map(OpenEnum::as_str),
                )
            }
        }
    };
}

operation_of!(beta);
operation_of!(v1);
