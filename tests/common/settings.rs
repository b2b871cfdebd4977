//! The settings text of a test instance: its address, SSH port and data paths, joined with the
//! test's own sections.

/// The settings text of a test instance.
pub fn settings_text(
    url: &str,
    port: u16,
    ssh_port: u16,
    data: &std::path::Path,
    extra: &str,
) -> String {
    // `extra` may have its own `[http]`, `[ssh]` or `[storage]` section: the bind address (the
    // data paths) join it.
    let (mut http, mut ssh, mut storage) = (String::new(), String::new(), String::new());
    let mut extra = extra.to_string();
    let paths = format!(
        "path = \"{}\"\nrepos = \"{}\"",
        data.join("db").display(),
        data.join("repos").display()
    );
    for (section, lines, own) in [
        (
            "[http]\n",
            format!("bind = \"127.0.0.1:{port}\""),
            &mut http,
        ),
        (
            "[ssh]\n",
            format!("bind = \"127.0.0.1:{ssh_port}\""),
            &mut ssh,
        ),
        ("[storage]\n", paths, &mut storage),
    ] {
        let line = format!("{section}{lines}\n");
        match extra.contains(section) {
            true => extra = extra.replacen(section, &line, 1),
            false => *own = line,
        }
    }
    format!(
        r#"
public_url = "{url}"
{http}{ssh}{storage}
{extra}
"#
    )
}
