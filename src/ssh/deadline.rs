//! The pre-authentication deadline, enforced on the connection's stream itself: from the moment
//! the TCP connection is accepted, a client has `[ssh] auth_timeout_secs` to send its version
//! line, finish key exchange and authenticate. russh's own timeouts start only after the version
//! line and the session task it spawns cannot be cancelled from outside, so this wrapper fails
//! every read and write once the deadline has passed unauthenticated: russh then ends the
//! session and drops (closes) the socket. Once authenticated, the deadline no longer applies.
//! The same happens at once when admission evicts the connection to make room for a client
//! holding fewer unauthenticated connections (`admission::Eviction`).

use super::admission::Eviction;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::time::{Instant, Sleep};

/// A stream that fails once `deadline` passes, or `eviction` fires, while `authenticated` is
/// still false.
pub struct PreAuthDeadline<S> {
    inner: S,
    deadline: Pin<Box<Sleep>>,
    eviction: Eviction,
    authenticated: Arc<AtomicBool>,
}

impl<S> PreAuthDeadline<S> {
    pub fn new(
        inner: S,
        deadline: Instant,
        eviction: Eviction,
        authenticated: Arc<AtomicBool>,
    ) -> Self {
        PreAuthDeadline {
            inner,
            deadline: Box::pin(tokio::time::sleep_until(deadline)),
            eviction,
            authenticated,
        }
    }

    /// An error once the deadline has passed unauthenticated, or the connection was evicted.
    /// Polling the timer and the eviction registers the waker, so a read pending on a silent
    /// client is woken (and fails) at the deadline or the eviction.
    fn expired(&mut self, cx: &mut Context<'_>) -> Option<io::Error> {
        if self.authenticated.load(Ordering::Acquire) {
            return None;
        }
        if self.eviction.poll_evicted(cx) {
            return Some(io::Error::new(
                io::ErrorKind::ConnectionAborted,
                "closed to make room for a client holding fewer unauthenticated connections",
            ));
        }
        match self.deadline.as_mut().poll(cx) {
            Poll::Ready(()) => Some(io::Error::new(
                io::ErrorKind::TimedOut,
                "the client did not authenticate in time",
            )),
            Poll::Pending => None,
        }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for PreAuthDeadline<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        if let Some(e) = self.expired(cx) {
            return Poll::Ready(Err(e));
        }
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for PreAuthDeadline<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        if let Some(e) = self.expired(cx) {
            return Poll::Ready(Err(e));
        }
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if let Some(e) = self.expired(cx) {
            return Poll::Ready(Err(e));
        }
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ssh::admission::{Admission, Admitted};
    use crate::ssh::sessions::Sessions;
    use std::time::Duration;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    fn admitted(a: &Admission, ip: &str) -> Admitted {
        a.admit(ip.parse().unwrap()).ok().unwrap()
    }

    #[tokio::test]
    async fn a_silent_peer_fails_at_the_deadline_and_an_authenticated_one_never() {
        let a = Admission::new(4, 4, Sessions::new(1));
        let (ours, _theirs) = tokio::io::duplex(64);
        let flag = Arc::new(AtomicBool::new(false));
        let deadline = Instant::now() + Duration::from_millis(50);
        let one = admitted(&a, "10.0.0.1");
        let mut stream = PreAuthDeadline::new(ours, deadline, one.eviction, flag);
        let mut buf = [0u8; 8];
        let e = stream.read(&mut buf).await.unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::TimedOut);
        assert!(stream.write_all(b"x").await.is_err());

        let (ours, mut theirs) = tokio::io::duplex(64);
        let flag = Arc::new(AtomicBool::new(false));
        let deadline = Instant::now() + Duration::from_millis(50);
        let two = admitted(&a, "10.0.0.1");
        let mut stream = PreAuthDeadline::new(ours, deadline, two.eviction, flag.clone());
        flag.store(true, Ordering::Release);
        tokio::time::sleep(Duration::from_millis(100)).await;
        theirs.write_all(b"hello").await.unwrap();
        let n = stream.read(&mut buf).await.unwrap();
        assert_eq!(&buf[..n], b"hello");
    }

    #[tokio::test]
    async fn an_evicted_connection_fails_at_once_while_waiting_on_its_client() {
        let a = Admission::new(1, 1, Sessions::new(1));
        let (ours, _theirs) = tokio::io::duplex(64);
        let flag = Arc::new(AtomicBool::new(false));
        let deadline = Instant::now() + Duration::from_secs(3600);
        let victim = admitted(&a, "10.0.0.1");
        let mut stream = PreAuthDeadline::new(ours, deadline, victim.eviction, flag);
        let reading = tokio::spawn(async move {
            let mut buf = [0u8; 8];
            stream.read(&mut buf).await
        });
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(
            !reading.is_finished(),
            "the read waits on the silent client"
        );
        let newcomer = admitted(&a, "10.0.0.2");
        assert_eq!(newcomer.made_room, Some("10.0.0.1".parse().unwrap()));
        let read = tokio::time::timeout(Duration::from_secs(30), reading)
            .await
            .expect("the eviction wakes the pending read")
            .unwrap();
        assert_eq!(read.unwrap_err().kind(), io::ErrorKind::ConnectionAborted);
        drop(victim.pre_auth);
    }
}
