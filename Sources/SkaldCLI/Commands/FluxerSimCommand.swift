import ArgumentParser
import FluxerSimulator
import Foundation
import Logging
import ServerLifecycle
import ServiceLifecycle

/// `skald fluxer-sim`: runs a fake Fluxer until SIGINT or SIGTERM.
struct FluxerSimCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fluxer-sim",
        abstract: "Run a fake Fluxer (REST, one community with the bot installed) on loopback.",
        discussion: """
            Prints one line, `fluxer-sim listening on http://127.0.0.1:PORT token=TOKEN`, once accepting. \
            Routes answer under /v1 and /; ground truth at /__fluxer/truth, statistics at /__fluxer/stats.
            """
    )

    @Option(help: "Port to bind on 127.0.0.1 (0 picks a free port).") var port: Int = 0
    @Option(help: "The bot token.") var token: String?
    @Option(help: "API flavour: baseline or newer.") var flavour: String = "newer"
    @Option(name: .customLong("latency-ms"), help: "Delay added to every API answer, in milliseconds.")
    var latencyMilliseconds: Int = 0
    @Option(name: .customLong("fault-rate"), help: "Fraction of API requests answered 500 (0...1).")
    var faultRate: Double = 0
    @Option(
        name: .customLong("lost-answer-rate"),
        help: "Fraction of webhook executes posted, then answered 500 (the answer lost, 0...1).")
    var lostAnswerRate: Double = 0

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0...65535") }
        guard (0...1).contains(faultRate) else { throw ValidationError("--fault-rate must be between 0 and 1") }
        guard (0...1).contains(lostAnswerRate) else {
            throw ValidationError("--lost-answer-rate must be between 0 and 1")
        }
        guard FluxerSimulatorConfiguration.Flavour(rawValue: flavour) != nil else {
            throw ValidationError("--flavour must be baseline or newer")
        }
        if token?.isEmpty == true { throw ValidationError("--token must not be empty") }
    }

    func run() async throws {
        var configuration = FluxerSimulatorConfiguration()
        configuration.port = port
        if let token { configuration.token = token }
        configuration.flavour = FluxerSimulatorConfiguration.Flavour(rawValue: flavour) ?? .newer
        configuration.latency = .milliseconds(latencyMilliseconds)
        configuration.faultRate = faultRate
        configuration.lostAnswerRate = lostAnswerRate
        var logger = Logger(label: "skald.fluxer-sim")
        logger.logLevel = .warning
        let group = ServiceGroup(
            configuration: .init(
                services: [FluxerSimulatorService(configuration: configuration)],
                gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}

/// Runs the fake Fluxer as a service: start, announce, wait for graceful shutdown, stop.
struct FluxerSimulatorService: Service {
    let configuration: FluxerSimulatorConfiguration

    func run() async throws {
        let server: FluxerSimulatorServer
        do {
            server = try await FluxerSimulatorServer.start(configuration)
        } catch {
            throw CommandFailure.Message(
                "fluxer-sim " + ListenFailure.describe(error, host: configuration.host, port: configuration.port))
        }
        Console.out("fluxer-sim listening on \(server.baseURL) token=\(server.token)")
        try? await gracefulShutdown()
        await server.shutdown()
    }
}
