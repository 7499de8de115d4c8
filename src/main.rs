//! The `esam-kg` binary: parse arguments, run, print the error chain, exit.

use clap::Parser;

fn main() {
    let cli = esam_kg::cli::Cli::parse();
    match esam_kg::cli::run(cli) {
        Ok(code) => std::process::exit(code),
        Err(error) => {
            eprintln!("error: {error:#}");
            std::process::exit(2);
        }
    }
}
