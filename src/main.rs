use clap::Parser;
use interview_bot::cli::Cli;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let metrics = interview_bot::app::init_tracing(&cli);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(interview_bot::app::run(cli, metrics));
    // A blocking read of stdin may still be waiting for a line nobody will
    // type; the work is done and saved, so do not wait for it.
    runtime.shutdown_background();
    match result {
        Ok(code) => code,
        Err(e) => {
            // A library's error may quote a URL given in the settings.
            eprintln!("error: {}", interview_bot::redact::scrub(&format!("{e:#}")));
            ExitCode::FAILURE
        }
    }
}
