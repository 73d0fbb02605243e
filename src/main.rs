use clap::Parser;

fn main() -> std::process::ExitCode {
    gallery::cli::Cli::parse().run()
}
