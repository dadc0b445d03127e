//! Shutdown as a cloneable token, as in mini-redis's `Shutdown`: one [`Trigger`] (the
//! binary's Ctrl-C, a test, a view's "stop" button), any number of [`Shutdown`]s (a session,
//! a scan, a connection, a web page's task), each of which can wait for it or ask whether it
//! came. Several sessions on one runtime share one trigger.

use std::future::Future;

use tokio::sync::watch;

/// Fires the shutdown, once, for every [`Shutdown`] made from it. Clones fire the same one
/// (Ctrl-C and the full screen's `q`).
#[derive(Debug, Clone)]
pub struct Trigger {
    tx: watch::Sender<bool>,
}

/// Waits for the shutdown. Clone it for every task that must stop with the run.
#[derive(Debug, Clone)]
pub struct Shutdown {
    rx: watch::Receiver<bool>,
}

/// A trigger and the first token it fires.
pub fn channel() -> (Trigger, Shutdown) {
    let (tx, rx) = watch::channel(false);
    (Trigger { tx }, Shutdown { rx })
}

impl Trigger {
    /// Fires: every token's [`Shutdown::wait`] returns, now or when it is next awaited.
    pub fn fire(&self) {
        self.tx.send_replace(true);
    }
}

impl Shutdown {
    /// Whether the shutdown has fired.
    pub fn is_shutdown(&self) -> bool {
        *self.rx.borrow()
    }

    /// A future that completes when the shutdown fires (at once if it has), and never if the
    /// trigger is dropped without firing. It owns a clone of the token: hand it to
    /// [`crate::session::run`] and keep the token.
    pub fn wait(&self) -> impl Future<Output = ()> + Send + 'static {
        let mut rx = self.rx.clone();
        async move {
            if rx.wait_for(|&fired| fired).await.is_err() {
                std::future::pending::<()>().await;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test(start_paused = true)]
    async fn every_clone_hears_the_trigger_and_a_lost_trigger_is_no_shutdown() {
        let (trigger, shutdown) = channel();
        let other = shutdown.clone();
        assert!(!shutdown.is_shutdown());
        let waiting = tokio::spawn(other.wait());
        trigger.fire();
        assert!(waiting.await.is_ok());
        assert!(shutdown.is_shutdown());
        // After the fact, a new wait returns at once.
        shutdown.wait().await;

        let (gone, never) = channel();
        drop(gone);
        let timed_out = tokio::time::timeout(Duration::from_secs(3600), never.wait()).await;
        assert!(
            timed_out.is_err(),
            "a dropped trigger must not shut the run down"
        );
        assert!(!never.is_shutdown());
    }
}
