//! A scripted HTTP server on 127.0.0.1 for testing the client's retries:
//! each connection gets the next action of the script (an answer, a stall,
//! a dropped connection), and every request is recorded with the time it
//! arrived, measured here, on the server's side.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the server does with one request.
#[derive(Clone, Debug)]
pub enum Action {
    /// Answers with this status, these headers and this body; `{base}` in
    /// the body becomes the server's URL.
    Answer(u16, Vec<(String, String)>, String),
    /// Reads the request, waits this long, and closes without answering.
    Stall(Duration),
    /// Reads the request and closes the connection at once, without answering.
    Drop,
}

impl Action {
    /// A status with a JSON body and no other header.
    pub fn status(status: u16, body: &str) -> Action {
        Action::Answer(status, Vec::new(), body.to_owned())
    }

    /// A status with a `Retry-After` header.
    pub fn retry_after(status: u16, retry_after: &str) -> Action {
        let headers = vec![("Retry-After".to_owned(), retry_after.to_owned())];
        Action::Answer(status, headers, String::new())
    }
}

/// A request as the server received it.
#[derive(Clone, Debug)]
pub struct Received {
    /// When it arrived, on the server's clock.
    pub at: Instant,
    /// `GET`, `POST`, ...
    pub method: String,
    /// The request target: path and query.
    pub target: String,
    /// The headers, names in lower case.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: String,
}

impl Received {
    /// The first header of this (lower-case) name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

/// A running server: its base URL and what it received.
pub struct Server {
    /// `http://127.0.0.1:PORT`.
    pub url: String,
    received: Arc<Mutex<Vec<Received>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Server {
    /// Starts a server that follows `script`, one action per request, and
    /// answers `500` once the script is used up.
    pub async fn start(script: Vec<Action>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a port on 127.0.0.1");
        let url = format!("http://{}", listener.local_addr().expect("a bound address"));
        let received = Arc::new(Mutex::new(Vec::new()));
        let script = Arc::new(Mutex::new(VecDeque::from(script)));
        let log = received.clone();
        let base = url.clone();
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (log, script, base) = (log.clone(), script.clone(), base.clone());
                tokio::spawn(async move {
                    let _ = serve(stream, log, script, &base).await;
                });
            }
        });
        Server { url, received, task }
    }

    /// Every request received so far, in order of arrival.
    pub fn received(&self) -> Vec<Received> {
        self.received.lock().expect("the log").clone()
    }

    /// The time between consecutive requests.
    pub fn gaps(&self) -> Vec<Duration> {
        let received = self.received();
        received.windows(2).map(|pair| pair[1].at - pair[0].at).collect()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(
    mut stream: TcpStream,
    log: Arc<Mutex<Vec<Received>>>,
    script: Arc<Mutex<VecDeque<Action>>>,
    base: &str,
) -> std::io::Result<()> {
    let Some(received) = read_request(&mut stream).await? else {
        return Ok(());
    };
    log.lock().expect("the log").push(received);
    let action = script.lock().expect("the script").pop_front();
    match action.unwrap_or_else(|| Action::status(500, "unscripted")) {
        Action::Answer(status, headers, body) => {
            let body = body.replace("{base}", base);
            let mut head = format!("HTTP/1.1 {status} Scripted\r\nContent-Length: {}\r\nConnection: close\r\n", body.len());
            if !body.is_empty() {
                head.push_str("Content-Type: application/json\r\n");
            }
            for (name, value) in headers {
                head.push_str(&format!("{name}: {value}\r\n"));
            }
            head.push_str("\r\n");
            stream.write_all(head.as_bytes()).await?;
            stream.write_all(body.as_bytes()).await?;
            stream.shutdown().await
        }
        Action::Stall(duration) => {
            tokio::time::sleep(duration).await;
            Ok(())
        }
        Action::Drop => Ok(()),
    }
}

/// Reads one request: the head, then `Content-Length` bytes of body.
async fn read_request(stream: &mut TcpStream) -> std::io::Result<Option<Received>> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break end;
        }
        let read = stream.read(&mut chunk).await?;
        if read == 0 {
            return Ok(None);
        }
        buffer.extend_from_slice(&chunk[..read]);
    };
    let at = Instant::now();
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next().unwrap_or_default().split(' ');
    let method = request_line.next().unwrap_or_default().to_owned();
    let target = request_line.next().unwrap_or_default().to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(name, _)| name == "content-length")
        .and_then(|(_, value)| value.parse().ok())
        .unwrap_or(0);
    let mut body = buffer[head_end + 4..].to_vec();
    while body.len() < length {
        let read = stream.read(&mut chunk).await?;
        if read == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..read]);
    }
    let body = String::from_utf8_lossy(&body).into_owned();
    Ok(Some(Received { at, method, target, headers, body }))
}
