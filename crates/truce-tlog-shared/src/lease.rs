//! The sequencing lease: who may write, and the fencing token that proves it (see the crate docs,
//! "Who may write").

use std::sync::atomic::Ordering;
use std::time::Duration;

use sqlx::Row;
use truce_tlog::Error;

use crate::io;
use crate::shared::Shared;

/// Who holds the sequencing lease.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lease {
    /// The holder's name (a server says where it can be reached).
    pub holder: String,
    /// The fencing token: raised each time the lease changes hands.
    pub token: u64,
    /// Whether the lease is still live (not expired).
    pub live: bool,
}

impl Shared {
    /// The fencing token this process holds (0 for none).
    pub fn fence(&self) -> u64 {
        self.inner.fence.load(Ordering::SeqCst)
    }

    /// Takes the sequencing lease for `holder` if it is free or expired (raising the fencing token), or
    /// renews it if this process already holds it. Returns the token held, or `None` while another
    /// holder's lease is live.
    pub fn acquire(&self, holder: &str, ttl: Duration) -> Result<Option<u64>, Error> {
        let (inner, holder) = (self.inner.clone(), holder.to_string());
        let held = self.fence();
        let token = self.run(async move {
            let ttl = ttl.as_secs_f64();
            if held != 0 {
                let renewed = sqlx::query(
                    "UPDATE tlog_lease SET expires = clock_timestamp() + make_interval(secs => $3)
                     WHERE log = $1 AND token = $2 AND expires > clock_timestamp()",
                )
                .bind(&inner.log)
                .bind(held as i64)
                .bind(ttl)
                .execute(&inner.pool)
                .await
                .map_err(io)?;
                if renewed.rows_affected() == 1 {
                    return Ok(Some(held));
                }
            }
            let row = sqlx::query(
                "INSERT INTO tlog_lease (log, holder, token, expires)
                 VALUES ($1, $2, 1, clock_timestamp() + make_interval(secs => $3))
                 ON CONFLICT (log) DO UPDATE
                   SET holder = EXCLUDED.holder, token = tlog_lease.token + 1, expires = EXCLUDED.expires
                   WHERE tlog_lease.expires <= clock_timestamp()
                 RETURNING token",
            )
            .bind(&inner.log)
            .bind(&holder)
            .bind(ttl)
            .fetch_optional(&inner.pool)
            .await
            .map_err(io)?;
            Ok(row.map(|r| r.get::<i64, _>(0) as u64))
        })?;
        self.inner.fence.store(token.unwrap_or(0), Ordering::SeqCst);
        Ok(token)
    }

    /// Gives the lease up at once (on a clean shutdown), so another server need not wait for it to
    /// expire. Writes under the old token are refused from here on.
    pub fn release(&self) -> Result<(), Error> {
        let held = self.inner.fence.swap(0, Ordering::SeqCst);
        if held == 0 {
            return Ok(());
        }
        let inner = self.inner.clone();
        self.run(async move {
            sqlx::query(
                "UPDATE tlog_lease SET expires = clock_timestamp() WHERE log = $1 AND token = $2",
            )
            .bind(&inner.log)
            .bind(held as i64)
            .execute(&inner.pool)
            .await
            .map_err(io)?;
            Ok(())
        })
    }

    /// Forgets the token without touching the database: what a holder does when it cannot renew.
    pub fn step_down(&self) {
        self.inner.fence.store(0, Ordering::SeqCst);
    }

    /// Who holds the lease, if anyone ever took it.
    pub fn lease(&self) -> Result<Option<Lease>, Error> {
        let inner = self.inner.clone();
        self.run(async move {
            let row = sqlx::query(
                "SELECT holder, token, expires > clock_timestamp() FROM tlog_lease WHERE log = $1",
            )
            .bind(&inner.log)
            .fetch_optional(&inner.pool)
            .await
            .map_err(io)?;
            Ok(row.map(|r| Lease {
                holder: r.get(0),
                token: r.get::<i64, _>(1) as u64,
                live: r.get(2),
            }))
        })
    }
}
