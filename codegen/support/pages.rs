//! A collection paged to its end (cargo feature `client`): [`Pages`] follows
//! `@odata.nextLink` from page to page, and [`Items`] yields the items of
//! every page. Both are `Stream`s and have an `async fn next`; both stop at
//! the limits they are given, and at the end expose the `@odata.deltaLink`
//! the service sends for delta queries.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use serde::de::DeserializeOwned;

use crate::support::{Client, ClientError, Page, Request, Response};

/// A page being fetched: its request (for the next one) and the answer.
type PageFuture<T> =
    Pin<Box<dyn Future<Output = (Request<Page<T>>, Result<Response<Page<T>>, ClientError>)> + Send>>;

/// The pages of a collection, fetched one at a time as they are asked for.
/// A page whose `nextLink` is its own URL ends the collection.
/// The token is sent only to the base URL's origin, so a `nextLink`
/// elsewhere ends the stream with [`ClientError::ForeignUrl`].
pub struct Pages<T> {
    client: Client,
    next: Option<Request<Page<T>>>,
    pending: Option<PageFuture<T>>,
    max_pages: Option<usize>,
    max_items: Option<usize>,
    pages: usize,
    items: usize,
    delta_link: Option<String>,
}

impl<T: DeserializeOwned + Send + 'static> Pages<T> {
    pub(crate) fn new(client: Client, first: Request<Page<T>>) -> Self {
        Pages {
            client,
            next: Some(first),
            pending: None,
            max_pages: None,
            max_items: None,
            pages: 0,
            items: 0,
            delta_link: None,
        }
    }

    /// Fetches no more than `pages` pages.
    pub fn max_pages(mut self, pages: usize) -> Self {
        self.max_pages = Some(pages);
        self
    }

    /// Fetches no further page once `items` items have come.
    pub fn max_items(mut self, items: usize) -> Self {
        self.max_items = Some(items);
        self
    }

    /// The items of every page, one at a time, at most `max_items`.
    pub fn items(self) -> Items<T> {
        Items { limit: self.max_items, yielded: 0, buffer: VecDeque::new(), pages: self }
    }

    /// The next page, or `None` at the end or at a limit.
    pub async fn next(&mut self) -> Option<Result<Page<T>, ClientError>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// The last page's `@odata.deltaLink`, once the stream has ended: the
    /// request for the changes since (a delta query's next round).
    pub fn delta_link(&self) -> Option<&str> {
        self.delta_link.as_deref()
    }

    fn at_limit(&self) -> bool {
        self.max_pages.is_some_and(|max| self.pages >= max)
            || self.max_items.is_some_and(|max| self.items >= max)
    }
}

impl<T: DeserializeOwned + Send + 'static> Stream for Pages<T> {
    type Item = Result<Page<T>, ClientError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if this.pending.is_none() {
            if this.at_limit() {
                return Poll::Ready(None);
            }
            let Some(request) = this.next.take() else {
                return Poll::Ready(None);
            };
            let client = this.client.clone();
            this.pending = Some(Box::pin(async move {
                let answer = client.send(&request).await;
                (request, answer)
            }));
        }
        let Some(pending) = this.pending.as_mut() else {
            return Poll::Ready(None);
        };
        let (request, answer) = match pending.as_mut().poll(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(done) => done,
        };
        this.pending = None;
        let page = match answer {
            // An empty answer is an empty last page.
            Ok(response) => response.value.unwrap_or_else(|| Page {
                value: Vec::new(),
                next_link: None,
                additional: Default::default(),
            }),
            Err(error) => return Poll::Ready(Some(Err(error))),
        };
        this.pages += 1;
        this.items += page.value.len();
        this.next = request.next_page(&page);
        // A page that links to itself would be fetched forever.
        let base = this.client.base_url();
        if this.next.as_ref().is_some_and(|next| next.url(base) == request.url(base)) {
            this.next = None;
        }
        if this.next.is_none() {
            this.delta_link = page.delta_link().map(str::to_owned);
        }
        Poll::Ready(Some(Ok(page)))
    }
}

// Nothing is pinned in place: the futures are boxed and items only moved.
impl<T> Unpin for Pages<T> {}
impl<T> Unpin for Items<T> {}

/// The items of every page of a collection: see [`Pages::items`].
pub struct Items<T> {
    pages: Pages<T>,
    buffer: VecDeque<T>,
    limit: Option<usize>,
    yielded: usize,
}

impl<T: DeserializeOwned + Send + 'static> Items<T> {
    /// The next item, or `None` at the end or at the limit.
    pub async fn next(&mut self) -> Option<Result<T, ClientError>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// The last page's `@odata.deltaLink`, once every item has come.
    pub fn delta_link(&self) -> Option<&str> {
        self.pages.delta_link()
    }
}

impl<T: DeserializeOwned + Send + 'static> Stream for Items<T> {
    type Item = Result<T, ClientError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if this.limit.is_some_and(|limit| this.yielded >= limit) {
                return Poll::Ready(None);
            }
            if let Some(item) = this.buffer.pop_front() {
                this.yielded += 1;
                return Poll::Ready(Some(Ok(item)));
            }
            match Pin::new(&mut this.pages).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(error))) => return Poll::Ready(Some(Err(error))),
                Poll::Ready(Some(Ok(page))) => this.buffer.extend(page.value),
            }
        }
    }
}
