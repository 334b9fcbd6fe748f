//! Differential tests: real programs from Debian packages run natively in one folder and in the
//! sandbox with another folder as the app root; their output and the files they leave must be
//! the same, and nothing outside the app root may change. Each test is skipped, saying so, when
//! its program is not installed (CI installs them all: `scripts/install-deps`) or when this
//! machine cannot make the sandbox's namespaces; `HYPERCOMPAT_REQUIRE_SANDBOX` turns the skips
//! into failures.

use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tempfile::TempDir;

const PACKAGE: &str = "com.example.workload";

/// Whether the test may run: `program` exists and the sandbox works here.
fn available(program: &str) -> bool {
    let required = std::env::var_os("HYPERCOMPAT_REQUIRE_SANDBOX").is_some();
    let reason = if !Path::new(program).exists() {
        Some(format!("{program} is not installed"))
    } else {
        let probe = Command::new(env!("CARGO_BIN_EXE_hc-sandbox"))
            .arg("/bin/true")
            .output()
            .expect("run hc-sandbox");
        (!probe.status.success()).then(|| {
            format!(
                "this machine cannot make the sandbox: {}",
                String::from_utf8_lossy(&probe.stderr)
            )
        })
    };
    match reason {
        None => true,
        Some(reason) if required => panic!("HYPERCOMPAT_REQUIRE_SANDBOX is set, but {reason}"),
        Some(reason) => {
            println!("SKIPPED: {reason}");
            false
        }
    }
}

/// One workload's two runs.
struct Runs {
    native: Output,
    sandboxed: Output,
    native_dir: TempDir,
    app_root: TempDir,
    /// A folder beside the app root that must stay as it is.
    sibling: TempDir,
}

/// Runs `argv` natively in a fresh folder and in the sandbox with another fresh folder as its
/// app root, both first filled by `setup`; `env` is set for both.
fn both(argv: &[&str], env: &[(&str, &str)], setup: impl Fn(&Path)) -> Runs {
    let native_dir = tempfile::tempdir().unwrap();
    let app_root = tempfile::tempdir().unwrap();
    let sibling = tempfile::tempdir().unwrap();
    std::fs::write(sibling.path().join("keep.txt"), "untouched\n").unwrap();
    setup(native_dir.path());
    setup(app_root.path());
    let native = Command::new(argv[0])
        .args(&argv[1..])
        .current_dir(native_dir.path())
        .env("HOME", native_dir.path())
        .envs(env.iter().copied())
        .output()
        .unwrap();
    // The program gets the variables only when asked for.
    let passed = env
        .iter()
        .flat_map(|(name, value)| ["--env".to_string(), format!("{name}={value}")]);
    let sandboxed = Command::new(env!("CARGO_BIN_EXE_hc-sandbox"))
        .arg("--app-root")
        .arg(app_root.path())
        .args(["--package", PACKAGE])
        .args(passed)
        .arg("--")
        .args(argv)
        .output()
        .unwrap();
    Runs {
        native,
        sandboxed,
        native_dir,
        app_root,
        sibling,
    }
}

/// What a tree holds: each path's type, permission bits and content (or link target).
fn snapshot(root: &Path) -> BTreeMap<PathBuf, (char, u32, Vec<u8>)> {
    let mut entries = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let meta = path.symlink_metadata().unwrap();
            let relative = path.strip_prefix(root).unwrap().to_path_buf();
            let mode = meta.permissions().mode() & 0o7777;
            let value = if meta.file_type().is_symlink() {
                (
                    'l',
                    0,
                    std::fs::read_link(&path)
                        .unwrap()
                        .into_os_string()
                        .into_encoded_bytes(),
                )
            } else if meta.is_dir() {
                stack.push(path.clone());
                ('d', mode, Vec::new())
            } else {
                ('f', mode, std::fs::read(&path).unwrap())
            };
            entries.insert(relative, value);
        }
    }
    entries
}

impl Runs {
    /// Both succeeded with the same standard output, and left the same files.
    fn assert_same(&self) {
        assert!(self.native.status.success(), "native: {:?}", self.native);
        assert!(self.sandboxed.status.success(), "sandboxed: {:?}", self.sandboxed);
        assert_eq!(
            String::from_utf8_lossy(&self.sandboxed.stdout),
            String::from_utf8_lossy(&self.native.stdout)
        );
        assert!(!self.native.stdout.is_empty());
        self.assert_same_files();
    }

    fn assert_same_files(&self) {
        let native = snapshot(self.native_dir.path());
        let sandboxed = snapshot(self.app_root.path());
        let names = |tree: &BTreeMap<PathBuf, _>| tree.keys().cloned().collect::<Vec<_>>();
        assert_eq!(names(&sandboxed), names(&native));
        for (path, entry) in &native {
            assert!(sandboxed.get(path) == Some(entry), "{} differs", path.display());
        }
        // The folder beside the app root is as it was.
        let sibling = snapshot(self.sibling.path());
        assert_eq!(sibling.len(), 1);
        assert_eq!(
            sibling.get(Path::new("keep.txt")).map(|e| &e.2[..]),
            Some(&b"untouched\n"[..])
        );
    }
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

#[test]
fn busybox_shell_script_over_a_tree() {
    if !available("/bin/busybox") {
        return;
    }
    let script = r#"set -e
b=/bin/busybox
$b mkdir -p src/a/b src/c
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do echo "line $i of file $i" > src/a/f$i.txt; done
$b seq 1 500 | $b sed 's/^/row /' > src/a/b/rows.txt
$b ln -s ../a/f1.txt src/c/link
$b ln src/a/f2.txt src/c/hard
$b cat src/c/link src/c/hard
$b find src | $b sort
$b ls src/a | $b wc -l
$b sort -r src/a/b/rows.txt | $b head -3
$b wc -l src/a/b/rows.txt
$b tar cf out.tar src
$b mkdir unpacked
cd unpacked
$b tar xf ../out.tar
cd ..
$b tar tf out.tar | $b sort
$b rm out.tar
$b sed -i 's/row/ROW/' unpacked/src/a/b/rows.txt
$b grep -c ROW unpacked/src/a/b/rows.txt
$b mv unpacked/src/a unpacked/src/moved
$b ls -R unpacked
$b rm -r src/c
$b chmod 700 unpacked/src/moved
$b stat -c '%n %s %a %h' unpacked/src/moved/f2.txt unpacked/src/moved
$b readlink unpacked/src/c/link
echo done
"#;
    let runs = both(&["/bin/busybox", "sh", "script.sh"], &[], |dir| {
        write(dir, "script.sh", script)
    });
    runs.assert_same();
}

#[test]
fn sqlite3_creates_inserts_10k_rows_and_queries() {
    if !available("/usr/bin/sqlite3") {
        return;
    }
    let mut sql = String::from("CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, score INTEGER);\nBEGIN;\n");
    for i in 0..10_000 {
        sql.push_str(&format!(
            "INSERT INTO t VALUES({i}, 'name{i}', {});\n",
            (i * 7919) % 1000
        ));
    }
    sql.push_str(
        "COMMIT;\nCREATE INDEX t_score ON t(score);\n\
         SELECT count(*), sum(score), min(name), max(name) FROM t;\n\
         SELECT score, count(*) FROM t GROUP BY score ORDER BY count(*) DESC, score LIMIT 5;\n\
         SELECT name FROM t WHERE score = 17 ORDER BY id LIMIT 3;\n",
    );
    let runs = both(&["/usr/bin/sqlite3", "data.db", ".read load.sql"], &[], |dir| {
        write(dir, "load.sql", &sql)
    });
    runs.assert_same();
}

#[test]
fn python3_walks_writes_renames_and_stats() {
    if !available("/usr/bin/python3") {
        return;
    }
    let script = r#"import os
os.makedirs("py/a/b", exist_ok=True)
for i in range(300):
    with open(f"py/a/f{i:03}.txt", "w") as f:
        f.write(str(i) * (i % 50))
for i in range(0, 300, 3):
    os.rename(f"py/a/f{i:03}.txt", f"py/a/b/g{i:03}.txt")
os.symlink("a/b/g000.txt", "py/link")
os.link("py/a/f001.txt", "py/hard")
os.chmod("py/a/f002.txt", 0o640)
os.utime("py/a/f004.txt", (1_000_000_000, 1_000_000_000))
total = 0
for root, dirs, files in os.walk("py"):
    dirs.sort()
    for name in sorted(files):
        path = os.path.join(root, name)
        st = os.lstat(path)
        total += st.st_size
        print(path, st.st_size, oct(st.st_mode), st.st_nlink)
print("total", total)
print(os.readlink("py/link"), os.path.exists("py/link"), os.path.islink("py/link"))
print(os.stat("py/a/f004.txt").st_mtime, os.access("py/a/f002.txt", os.R_OK))
os.unlink("py/a/f005.txt")
print(sorted(os.listdir("py/a"))[:4], os.getcwd() == os.environ["HOME"])
"#;
    let runs = both(&["/usr/bin/python3", "-I", "walk.py"], &[], |dir| {
        write(dir, "walk.py", script)
    });
    runs.assert_same();
}

#[test]
fn java_compiles_and_runs_a_program_that_writes_and_lists_files() {
    // The JDK reads its configuration through /etc/java-*/ (java.security among it).
    if !available("/usr/bin/java") {
        return;
    }
    let source = r#"import java.nio.file.*;
import java.util.*;
class Files2 {
    public static void main(String[] args) throws Exception {
        Path dir = Paths.get("jv");
        Files.createDirectories(dir.resolve("sub"));
        for (int i = 0; i < 50; i++) Files.writeString(dir.resolve("f" + i + ".txt"), "x".repeat(i));
        Files.move(dir.resolve("f7.txt"), dir.resolve("sub/seven.txt"));
        List<String> names = new ArrayList<>();
        long total = 0;
        try (var walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (Files.isRegularFile(p)) { names.add(p.toString()); total += Files.size(p); }
            }
        }
        Collections.sort(names);
        System.out.println(names.size() + " files, " + total + " bytes, first " + names.get(0));
        System.out.println(java.security.MessageDigest.getInstance("SHA-256").getDigestLength());
    }
}
"#;
    let runs = both(&["/usr/bin/java", "Files2.java"], &[], |dir| {
        write(dir, "Files2.java", source)
    });
    runs.assert_same();
}

#[test]
fn git_init_add_commit_inside_the_app_root() {
    let git = ["/usr/bin/git", "/usr/local/bin/git"]
        .into_iter()
        .find(|path| Path::new(path).exists())
        .unwrap_or("/usr/bin/git");
    if !available(git) {
        return;
    }
    // Fixed names and dates make the commit id a function of the content only.
    let env = [
        ("GIT_AUTHOR_NAME", "HyperCompat"),
        ("GIT_AUTHOR_EMAIL", "test@hypercompat.invalid"),
        ("GIT_AUTHOR_DATE", "2026-01-01T00:00:00Z"),
        ("GIT_COMMITTER_NAME", "HyperCompat"),
        ("GIT_COMMITTER_EMAIL", "test@hypercompat.invalid"),
        ("GIT_COMMITTER_DATE", "2026-01-01T00:00:00Z"),
        ("GIT_CONFIG_NOSYSTEM", "1"),
        ("GIT_CONFIG_GLOBAL", "/dev/null"),
    ];
    let script = format!(
        "set -e\n{git} init -q -b main repo\ncd repo\nmkdir -p src/deep\n\
         echo hello > README\nseq 1 100 > src/deep/numbers\n\
         {git} add -A\n{git} commit -q -m first\n\
         echo more >> README\n{git} commit -q -am second\n\
         {git} rev-parse HEAD HEAD~1\n{git} log --format='%s %an' | cat\n\
         {git} status --porcelain | wc -l\n{git} fsck --no-progress 2>&1 | wc -l\n"
    );
    let runs = both(&["/bin/sh", "commit.sh"], &env, |dir| {
        write(dir, "commit.sh", &script)
    });
    assert!(runs.native.status.success(), "{:?}", runs.native);
    assert!(runs.sandboxed.status.success(), "{:?}", runs.sandboxed);
    // Same commits; the index (which records inode numbers and times) is not compared.
    assert_eq!(
        String::from_utf8_lossy(&runs.sandboxed.stdout),
        String::from_utf8_lossy(&runs.native.stdout)
    );
    let head = std::fs::read_to_string(runs.app_root.path().join("repo/.git/refs/heads/main")).unwrap();
    assert!(String::from_utf8_lossy(&runs.sandboxed.stdout).starts_with(&head));
    let objects = |root: &Path| {
        let mut names: Vec<_> = snapshot(&root.join("repo/.git/objects")).into_keys().collect();
        names.sort();
        names
    };
    assert_eq!(objects(runs.app_root.path()), objects(runs.native_dir.path()));
}

#[test]
fn the_guest_sees_only_its_own_tree() {
    if !available("/bin/busybox") {
        return;
    }
    let script = r#"b=/bin/busybox
$b ls / | $b sort | $b tr '\n' ' '; echo
$b ls /dev | $b sort | $b tr '\n' ' '; echo
$b ls /etc/shadow /root /home /var /sys/class /sys/fs /work 2>&1 | $b sed 's/^ls: //'
$b cat ../../../../../etc/shadow 2>&1 | $b sed 's/^cat: //'
echo x > /usr/probe 2>&1 || echo "usr refused"
$b mkdir /newdir 2>&1 || echo "root refused"
$b touch /etc/passwd 2>&1 || echo "etc refused"
$b pwd
echo "shell pid $$"
$b cat /proc/self/status | $b grep -E '^NoNewPrivs:' | $b tr '\t' ' '
$b readlink /proc/self/root
echo scratch > /tmp/$MARKER && $b cat /tmp/$MARKER
echo "sys: $($b ls /sys) $($b ls /sys/devices) $($b ls /sys/devices/system)"
"#;
    let app = tempfile::tempdir().unwrap();
    write(app.path(), "look.sh", script);
    let marker = format!("hypercompat-marker-{}", std::process::id());
    let output = Command::new(env!("CARGO_BIN_EXE_hc-sandbox"))
        .arg("--app-root")
        .arg(app.path())
        .args([
            "--package",
            PACKAGE,
            "--env",
            "MARKER",
            "--",
            "/bin/busybox",
            "sh",
            "look.sh",
        ])
        .env("MARKER", &marker)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    let lines: Vec<&str> = text.lines().collect();
    let root: Vec<&str> = lines[0].split_whitespace().collect();
    for name in ["data", "dev", "etc", "proc", "tmp", "usr"] {
        assert!(root.contains(&name), "{root:?}");
    }
    for name in &root {
        let allowed = [
            "bin", "data", "dev", "etc", "lib", "lib32", "lib64", "libx32", "proc", "sbin", "sys", "tmp",
            "usr",
        ];
        assert!(allowed.contains(name), "the guest sees /{name}: {root:?}");
    }
    assert_eq!(
        lines[1],
        "binder binderfs fd full hwbinder null random shm stderr stdin stdout tty urandom vndbinder zero "
    );
    for missing in [
        "/etc/shadow",
        "/root",
        "/home",
        "/var",
        "/sys/class",
        "/sys/fs",
        "/work",
    ] {
        assert!(
            text.contains(&format!("{missing}: No such file or directory")),
            "{missing}: {text}"
        );
    }
    // `..` stops at the guest's root, which has no shadow file.
    assert!(
        text.contains("can't open '../../../../../etc/shadow': No such file or directory"),
        "{text}"
    );
    assert!(
        text.contains("usr refused") && text.contains("root refused") && text.contains("etc refused"),
        "{text}"
    );
    assert!(text.contains(&format!("/data/data/{PACKAGE}\n")), "{text}");
    assert!(
        text.contains("shell pid 1\n") && text.contains("NoNewPrivs: 1"),
        "{text}"
    );
    assert!(text.contains("\n/\n"), "{text}");
    assert!(!Path::new("/usr/probe").exists() && !Path::new("/newdir").exists());
    // The guest's /tmp is its own.
    assert!(text.contains("\n/\nscratch\n"), "{text}");
    // Of /sys, the CPUs only.
    if Path::new("/sys/devices/system/cpu").is_dir() {
        assert!(text.trim_end().ends_with("sys: devices system cpu"), "{text}");
    }
    assert!(!Path::new("/tmp").join(&marker).exists());
}
