//! storydiff on a real terminal: tmux runs it with standard output on a 100×24 pseudo-terminal,
//! for what only a terminal decides (`--paging auto`, colour and width taken from the terminal,
//! less quitting early, Ctrl-C while paging). tmux is required: scripts/test installs it, and
//! without it these tests fail rather than skip.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::bad_input::tempdir::Dir;

/// Rows and columns of the tmux window.
const ROWS: usize = 24;
const COLUMNS: usize = 100;

/// A private tmux server running one bash script; killed on drop.
struct Tmux {
    socket: String,
    dir: Dir,
}

impl Tmux {
    /// Run `script` with bash in a detached tmux window of [`COLUMNS`]×[`ROWS`]. In the
    /// script `$BIN` is storydiff, `$DIR` a scratch folder, `$A` `$B` `$C` the Jan-14 trio;
    /// colour and pager variables are unset.
    fn start(tag: &str, script: &str) -> Tmux {
        Tmux::start_sized(tag, script, COLUMNS)
    }

    /// [`Tmux::start`] in a window `columns` wide.
    fn start_sized(tag: &str, script: &str, columns: usize) -> Tmux {
        let version = Command::new("tmux").arg("-V").output();
        assert!(
            version.as_ref().is_ok_and(|o| o.status.success()),
            "tmux is required for the terminal tests (scripts/test installs it): {version:?}"
        );
        let dir = Dir::new(&format!("tty-{tag}"));
        let conf = dir.path.join("tmux.conf");
        write(
            &conf,
            "set -g remain-on-exit on\nset -g status off\nset -g default-terminal screen\n",
        );
        let t = crate::trio();
        let prelude = format!(
            "unset NO_COLOR CLICOLOR_FORCE COLUMNS LINES PAGER STORYDIFF_PAGER LESS LV\n\
             export STORYDIFF_SCORER=lexical\n\
             BIN='{}'; DIR='{}'; A='{}'; B='{}'; C='{}'\ncd \"$DIR\"\n",
            assert_cmd::cargo::cargo_bin("storydiff").display(),
            dir.path.display(),
            t[0],
            t[1],
            t[2]
        );
        let run = dir.path.join("run.sh");
        write(&run, &format!("{prelude}{script}\n"));
        let socket = format!("storydiff-it-{}-{tag}", std::process::id());
        let started = Command::new("tmux")
            .args(["-L", &socket, "-f"])
            .arg(&conf)
            .args(["new-session", "-d", "-s", "t", "-x"])
            .arg(columns.to_string())
            .arg("-y")
            .arg(ROWS.to_string())
            .arg(format!("bash '{}'", run.display()))
            .env("TERM", "screen")
            .output()
            .unwrap_or_else(|e| panic!("tmux: {e}"));
        assert!(started.status.success(), "tmux: {started:?}");
        Tmux { socket, dir }
    }

    /// The screen, one line per row.
    fn screen(&self) -> String {
        let out = Command::new("tmux")
            .args(["-L", &self.socket, "capture-pane", "-p", "-t", "t"])
            .output()
            .unwrap_or_else(|e| panic!("tmux: {e}"));
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Whether the script has ended (the window stays, `remain-on-exit`).
    fn dead(&self) -> bool {
        let out = Command::new("tmux")
            .args(["-L", &self.socket, "display-message", "-p", "-t", "t"])
            .arg("#{pane_dead}")
            .output()
            .unwrap_or_else(|e| panic!("tmux: {e}"));
        String::from_utf8_lossy(&out.stdout).trim() == "1"
    }

    /// Type `keys` (tmux key names).
    fn send(&self, keys: &str) {
        let ok = Command::new("tmux")
            .args(["-L", &self.socket, "send-keys", "-t", "t", keys])
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "tmux send-keys {keys}");
    }

    /// Wait (two minutes at most) until `done` holds, else fail showing the screen.
    fn wait(&self, what: &str, done: impl Fn(&Tmux) -> bool) {
        let start = Instant::now();
        while !done(self) {
            assert!(
                start.elapsed() < Duration::from_secs(120),
                "timed out waiting for {what}; screen:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The contents of `name` in the scratch folder, once the script has written it.
    fn file(&self, name: &str) -> Option<String> {
        std::fs::read_to_string(self.dir.path.join(name)).ok()
    }

    /// Wait for the script to write `name` (an exit status), and return it trimmed.
    fn status(&self, name: &str) -> String {
        let written = |t: &Tmux| t.file(name).is_some_and(|s| s.ends_with('\n'));
        self.wait(name, |t| {
            // Whether the script had ended, then whether the file is there: the other order
            // would miss a status written between the two looks.
            let dead = t.dead();
            let done = written(t);
            // bash writes nothing when a signal killed the command it ran.
            assert!(
                done || !dead,
                "the script ended without writing {name}; screen:\n{}",
                t.screen()
            );
            done
        });
        self.file(name).unwrap_or_default().trim().to_string()
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .output();
    }
}

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

/// `text` without ANSI colour sequences.
fn plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_escape = false;
    for c in text.chars() {
        if in_escape {
            in_escape = !c.is_ascii_alphabetic();
        } else if c == '\u{1b}' {
            in_escape = true;
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn auto_pages_output_taller_than_the_terminal() {
    let t = Tmux::start(
        "auto-long",
        "export STORYDIFF_PAGER=\"sh -c 'cat > paged'\"\n\
         \"$BIN\" compare \"$A\" \"$B\" \"$C\" 2> err; echo $? > status",
    );
    assert_eq!(t.status("status"), "0");
    assert_eq!(t.file("err").as_deref(), Some(""));
    let paged = t
        .file("paged")
        .unwrap_or_else(|| panic!("the pager did not run"));
    // Colour and width are the terminal's, paged or not.
    assert!(paged.contains("\u{1b}["), "no colour on a terminal");
    let paged = plain(&paged);
    assert!(paged.lines().count() > ROWS, "{paged}");
    let rule = paged
        .lines()
        .find(|l| l.starts_with("== epa against kuna (base) "))
        .unwrap_or_else(|| panic!("{paged}"));
    assert_eq!(rule.chars().count(), COLUMNS, "{rule}");
    assert!(!t.screen().contains("against kuna"), "{}", t.screen());
}

#[test]
fn auto_writes_output_that_fits_and_never_does_not_page() {
    let t = Tmux::start(
        "auto-short",
        "export STORYDIFF_PAGER=\"sh -c 'cat >> paged'\"\n\
         \"$BIN\" compare --stat \"$A\" \"$B\"; echo $? > status1\n\
         \"$BIN\" compare --paging never \"$A\" \"$B\" \"$C\"; echo $? > status2",
    );
    assert_eq!(t.status("status1"), "0");
    assert_eq!(t.status("status2"), "0");
    assert_eq!(t.file("paged"), None, "the pager ran");
    // The end of the long output is on the screen.
    t.wait("the findings on the screen", |t| {
        t.screen().lines().any(|l| l.starts_with("! "))
    });
}

#[test]
fn quitting_less_early_is_a_clean_exit_and_ctrl_c_is_for_less() {
    // The default pager, less -R -F -X, on the JSON (about 90 kB: more than a pipe holds).
    let t = Tmux::start(
        "less",
        "\"$BIN\" compare --format json \"$A\" \"$B\" \"$C\" 2> err; echo $? > status",
    );
    t.wait("less showing the JSON", |t| {
        let s = t.screen();
        s.contains("\"version\": 5") && s.lines().map(str::trim_end).any(|l| l == ":")
    });
    // Ctrl-C goes to the whole foreground group; storydiff waits for less, which stays.
    t.send("C-c");
    std::thread::sleep(Duration::from_millis(500));
    assert!(
        t.file("status").is_none() && !t.dead(),
        "storydiff stopped on Ctrl-C"
    );
    assert!(t.screen().contains("\"version\": 5"), "{}", t.screen());
    t.send("q");
    assert_eq!(t.status("status"), "0");
    assert_eq!(t.file("err").as_deref(), Some(""));
}

/// The side-by-side layout on a terminal `columns` wide: the width is the terminal's, every
/// line fits it, the column separator stands at one display column on every sentence row,
/// and a linked pair has text on both sides of one row.
fn side_by_side_at(columns: usize) {
    let t = Tmux::start_sized(
        &format!("sbs-{columns}"),
        "export STORYDIFF_PAGER=\"sh -c 'cat > paged'\"\n\
         \"$BIN\" compare --layout side-by-side --paging always \"$A\" \"$B\" 2> err; echo $? > status",
        columns,
    );
    assert_eq!(t.status("status"), "0");
    assert_eq!(t.file("err").as_deref(), Some(""));
    let paged = plain(&t.file("paged").unwrap_or_default());
    let rule = paged
        .lines()
        .find(|l| l.starts_with("== epa against kuna (base) "))
        .unwrap_or_else(|| panic!("{paged}"));
    assert_eq!(rule.chars().count(), columns, "{rule}");
    use unicode_width::UnicodeWidthStr;
    for line in paged.lines() {
        assert!(
            line.width() <= columns,
            "{} > {columns}: {line:?}",
            line.width()
        );
    }
    // Sentence rows: from the column heads to the findings.
    let rows: Vec<&str> = paged
        .lines()
        .skip_while(|l| !(l.starts_with("  kuna ") && l.contains(" │ epa")))
        .take_while(|l| !l.starts_with("== findings"))
        .filter(|l| !l.is_empty())
        .collect();
    assert!(rows.len() > 20, "{paged}");
    let left = (columns - 5) / 2;
    for row in &rows {
        let at = row.find('│').map(|i| row[..i].width());
        assert_eq!(at, Some(2 + left + 1), "{row:?}");
    }
    // A partial link: base words on the left, the other's on the right, one row.
    let linked = rows
        .iter()
        .find(|r| r.starts_with("* "))
        .unwrap_or_else(|| panic!("no linked row:\n{paged}"));
    let (l, r) = linked.split_once('│').unwrap_or_default();
    assert!(l.trim_start_matches("* ").trim().len() > 3, "{linked:?}");
    assert!(r.trim().len() > 3, "{linked:?}");
    // Added rows leave the base column blank, dropped rows the other one.
    assert!(rows
        .iter()
        .any(|r| r.starts_with("+ ") && r[2..].starts_with("   ")));
    assert!(rows
        .iter()
        .any(|r| r.starts_with("- ") && r.trim_end().ends_with('│')));
}

#[test]
fn side_by_side_at_120_columns() {
    side_by_side_at(120);
}

#[test]
fn side_by_side_at_200_columns() {
    side_by_side_at(200);
}
