//! A throwaway PostgreSQL cluster: `initdb` and `pg_ctl` on a local socket, no TCP, as the `postgres`
//! user when running as root (the server refuses to run as root). Debian's `postgresql` is installed
//! when no server binaries are found. The fault campaign stops, restarts and starts it again.

use std::path::PathBuf;
use std::process::{Command, Stdio};

use anyhow::Context;

use crate::run;

/// A running cluster in a directory of its own; stopped and removed on drop.
pub struct Postgres {
    bin: PathBuf,
    dir: PathBuf,
    as_postgres: bool,
}

impl Postgres {
    fn bin_dir() -> Option<PathBuf> {
        let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
            .ok()?
            .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
            .filter(|b| b.join("initdb").exists())
            .collect();
        versions.sort();
        versions.pop()
    }

    fn command(&self, program: &str) -> Command {
        let path = self.bin.join(program);
        if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(path);
            c
        } else {
            Command::new(path)
        }
    }

    /// Installs PostgreSQL if needed, and starts a new cluster named after this process.
    pub fn start() -> anyhow::Result<Postgres> {
        Postgres::start_named(&format!("truce-pg-{}", std::process::id()))
    }

    /// [`Postgres::start`] in a directory `name` under the temporary directory (one per cluster: a
    /// test process may run several).
    pub fn start_named(name: &str) -> anyhow::Result<Postgres> {
        let root_user =
            Command::new("id").arg("-u").output().is_ok_and(|o| o.stdout.starts_with(b"0\n"));
        let bin = match Postgres::bin_dir() {
            Some(b) => b,
            None => {
                eprintln!("xtask: installing Debian's postgresql for the store tests");
                let apt = |args: &[&str]| {
                    let mut cmd =
                        if root_user { Command::new("apt-get") } else { Command::new("sudo") };
                    if !root_user {
                        cmd.arg("apt-get");
                    }
                    cmd.env("DEBIAN_FRONTEND", "noninteractive").args(args);
                    run(&mut cmd)
                };
                apt(&["update", "-q"])?;
                apt(&["install", "-y", "-q", "postgresql"]).context("cannot install postgresql")?;
                Postgres::bin_dir().context("postgresql installed but no initdb found")?
            }
        };
        // Outside the repository, so that the postgres user can reach it whatever the checkout's modes.
        let dir = std::env::temp_dir().join(name);
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("sock"))?;
        let pg = Postgres { bin, dir, as_postgres: root_user };
        if root_user {
            run(Command::new("chown").args(["-R", "postgres:postgres"]).arg(&pg.dir))?;
        }
        run(pg
            .command("initdb")
            .args(["-A", "trust", "-U", "postgres", "--no-sync", "-D"])
            .arg(pg.dir.join("data"))
            .stdout(Stdio::null()))?;
        pg.start_again()?;
        Ok(pg)
    }

    /// Starts the stopped cluster again, on the same socket, with the same data.
    pub fn start_again(&self) -> anyhow::Result<()> {
        self.pg_ctl(&["-w", "start"])
    }

    /// Stops the cluster (`fast`: open sessions are ended, their transactions rolled back).
    pub fn stop(&self) -> anyhow::Result<()> {
        self.pg_ctl(&["-m", "fast", "-w", "stop"])
    }

    /// Stops and starts the cluster, as an operator's restart does.
    pub fn restart(&self) -> anyhow::Result<()> {
        self.pg_ctl(&["-m", "fast", "-w", "restart"])
    }

    fn pg_ctl(&self, args: &[&str]) -> anyhow::Result<()> {
        run(self
            .command("pg_ctl")
            .arg("-D")
            .arg(self.dir.join("data"))
            .arg("-l")
            .arg(self.dir.join("log"))
            .arg("-o")
            .arg(format!(
                "-c listen_addresses='' -c unix_socket_directories={} -c max_connections=200",
                self.socket_dir().display()
            ))
            .args(args)
            .stdout(Stdio::null()))
    }

    /// The directory of the cluster's socket.
    pub fn socket_dir(&self) -> PathBuf {
        self.dir.join("sock")
    }

    /// The URL of the `postgres` database.
    pub fn url(&self) -> String {
        format!("postgres://postgres@localhost/postgres?host={}", self.socket_dir().display())
    }

    /// Creates database `name` in the cluster; returns its URL.
    pub fn create_database(&self, name: &str) -> anyhow::Result<String> {
        run(self
            .command("createdb")
            .arg("-h")
            .arg(self.socket_dir())
            .args(["-U", "postgres", name]))?;
        Ok(self.url().replacen("/postgres?", &format!("/{name}?"), 1))
    }
}

impl Drop for Postgres {
    /// Stops the cluster and removes it, however the tests ended.
    fn drop(&mut self) {
        let _ = self
            .command("pg_ctl")
            .arg("-D")
            .arg(self.dir.join("data"))
            .args(["-m", "fast", "-w", "stop"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
