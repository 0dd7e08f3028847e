//! A calling bot: places a call, invites a participant once the call is
//! established, waits for the invitation to complete and the participant
//! to join, and hangs up. It answers Microsoft's callbacks on `/callback`,
//! refusing any whose token Microsoft did not sign for this bot
//! (`conformance::bot` has the logic; `tests/calling_bot.rs` runs it
//! against a fake Graph on 127.0.0.1).
//!
//! ```sh
//! GRAPH_BASE_URL=https://graph.microsoft.com/v1.0 GRAPH_TOKEN=... \
//! BOT_APP_ID=... BOT_TENANT=... BOT_CALLBACK_URL=https://bot.example.com/callback \
//! BOT_LISTEN=0.0.0.0:8080 CALLEE=<user id> INVITEE=<user id> \
//! cargo run -p conformance --example calling_bot
//! ```
//!
//! `BOT_OPENID_CONFIGURATION` overrides where the callback keys are found.

use std::process::ExitCode;
use std::time::Duration;

use conformance::bot::{Config, Settings, serve_and_run};
use generated::support::verify::OPENID_CONFIGURATION;

fn var(name: &str) -> Result<String, String> {
    std::env::var(name).map_err(|_| format!("set {name}"))
}

fn settings() -> Result<(Settings, String), String> {
    let config = Config {
        graph: var("GRAPH_BASE_URL")?,
        token: var("GRAPH_TOKEN")?,
        tenant: var("BOT_TENANT")?,
        callback: var("BOT_CALLBACK_URL")?,
        patience: Duration::from_secs(60),
    };
    let settings = Settings {
        config,
        app_id: var("BOT_APP_ID")?,
        openid_configuration: var("BOT_OPENID_CONFIGURATION")
            .unwrap_or_else(|_| OPENID_CONFIGURATION.to_owned()),
        callee: var("CALLEE")?,
        invitee: var("INVITEE")?,
    };
    Ok((settings, var("BOT_LISTEN").unwrap_or_else(|_| "127.0.0.1:8080".to_owned())))
}

fn main() -> ExitCode {
    let run = async {
        let (settings, listen) = settings()?;
        let listener = tokio::net::TcpListener::bind(&listen)
            .await
            .map_err(|e| format!("cannot listen on {listen}: {e}"))?;
        serve_and_run(settings, listener).await
    };
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build();
    match runtime.map_err(|e| e.to_string()).and_then(|r| r.block_on(run)) {
        Ok(memory) => {
            for line in &memory.log {
                println!("{line}");
            }
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
