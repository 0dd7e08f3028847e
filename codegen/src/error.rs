//! Errors that name their place: every problem with a CSDL document points at
//! `file:line:column`, computed from a byte offset only when the error is shown.

use std::fmt;
use std::sync::Arc;

/// One CSDL input: its display name (usually the path) and its text.
#[derive(Debug)]
pub struct Source {
    pub name: String,
    pub text: String,
}

/// A place in a [`Source`]. Holding the byte offset instead of line and column
/// keeps reading cheap; the line and column are counted when an error is shown.
#[derive(Clone)]
pub struct Location {
    pub source: Arc<Source>,
    pub offset: usize,
}

impl Location {
    /// The 1-based line and column (in characters) of this place.
    pub fn line_column(&self) -> (usize, usize) {
        let before = &self.source.text[..self.offset.min(self.source.text.len())];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        (line, column)
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (line, column) = self.line_column();
        write!(f, "{}:{line}:{column}", self.source.name)
    }
}

impl fmt::Debug for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// Everything that can go wrong while generating, as one message for a person.
#[derive(Debug)]
pub struct Error {
    pub location: Option<Location>,
    pub message: String,
}

impl Error {
    pub fn at(location: &Location, message: impl Into<String>) -> Self {
        Error {
            location: Some(location.clone()),
            message: message.into(),
        }
    }

    pub fn new(message: impl Into<String>) -> Self {
        Error {
            location: None,
            message: message.into(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.location {
            Some(location) => write!(f, "{location}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for Error {}

pub type Result<T, E = Error> = std::result::Result<T, E>;
