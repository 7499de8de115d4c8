//! The `esam-kg` binary: parse arguments, run, print the error chain, exit.

use clap::Parser;

/// jemalloc for every allocation of the process (see the `jemalloc` feature in Cargo.toml).
#[cfg(feature = "jemalloc")]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() {
    let cli = esam_kg::cli::Cli::parse();
    match esam_kg::cli::run(cli) {
        Ok(code) => std::process::exit(code),
        Err(error) => {
            eprintln!("error: {}", describe(&error));
            std::process::exit(2);
        }
    }
}

/// The error and its causes, each cause added only when the message so far does not already say it
/// (library errors often include their source's text).
fn describe(error: &anyhow::Error) -> String {
    let mut message = String::new();
    for cause in error.chain() {
        let text = cause.to_string();
        if !message.contains(&text) {
            if !message.is_empty() {
                message.push_str(": ");
            }
            message.push_str(&text);
        }
    }
    message
}
