import Foundation
import Logging
import NIOWebSocket
import WSClient

/// A gateway connection that survives disconnects: it drives a ``GatewaySessionStateMachine`` with the frames of
/// a WebSocket (swift-websocket's `WebSocketClient`) and hands every event to a handler, in order.
///
/// The WebSocket only carries frames; every decision (heartbeats, resume or identify, backoff, close codes) is
/// the state machine's. The handler runs apart from the socket, so a slow handler (a REST gap fill) never
/// delays heartbeats; events wait for it in order.
///
/// ```swift
/// let client = GatewayClient(configuration: .init(token: token, gatewayURL: bot.url), logger: logger)
/// try await client.run(resume: stored) { event in try await store(event) }   // until client.stop()
/// ```
public struct GatewayClient: Sendable {
    enum Input: Sendable {
        case opened(connection: Int, WebSocketOutboundWriter)
        case text(connection: Int, String, receivedAt: Date)
        case closed(connection: Int, code: UInt16?)
        case tick
        case stop
    }

    /// The configuration.
    public let configuration: GatewayClientConfiguration
    let logger: Logger
    private let inputs: AsyncStream<Input>
    private let input: AsyncStream<Input>.Continuation

    /// A client; nothing happens before ``run(resume:handler:)``.
    public init(configuration: GatewayClientConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        (inputs, input) = AsyncStream.makeStream(of: Input.self)
    }

    /// Asks the client to close with a resumable code (4000) and return from ``run(resume:handler:)`` once the
    /// handler has taken every event received.
    public func stop() { input.yield(.stop) }

    /// Connects (resuming `resume` when given) and hands events to `handler` until ``stop()`` or a fatal close.
    /// - Throws: ``GatewayError`` after a close code that forbids reconnecting (4004 bad token, 4010–4014), or
    ///   what `handler` throws.
    public func run(
        resume: GatewayResumeState?, handler: @escaping @Sendable (GatewayEvent) async throws -> Void
    ) async throws {
        try await runBatches(resume: resume) { batch in
            for event in batch { try await handler(event) }
        }
    }

    /// Like ``run(resume:handler:)``, handing over every event received since the handler's previous turn at once
    /// (in order), so a consumer can commit many events in one transaction.
    public func runBatches(
        resume: GatewayResumeState?, handler: @escaping @Sendable ([GatewayEvent]) async throws -> Void
    ) async throws {
        let eventSink = GatewayEventQueue()
        let fatalClose = try await withThrowingTaskGroup(of: GatewayError?.self) { group in
            group.addTask {
                while let batch = await eventSink.next() { try await handler(batch) }
                return nil
            }
            group.addTask {
                defer { eventSink.finish() }
                // Returned, not thrown: the handler first takes what arrived before the close. Thrown, it cancelled
                // the handler, and the events received just before a 4004 or 4014 were never stored.
                return await drive(resume: resume, events: eventSink)
            }
            // `next()`, not `waitForAll()`: the latter waits for every child before it throws, so a handler that
            // failed (a full disk) left the connection running, events piling up unstored, until a signal.
            var fatalClose: GatewayError?
            do {
                while let result = try await group.next() { fatalClose = fatalClose ?? result }
            } catch {
                group.cancelAll()
                throw error
            }
            return fatalClose
        }
        if let fatalClose { throw fatalClose }
    }

    // MARK: Driving the state machine

    /// Runs the connection until a stop or a close that forbids reconnecting, which it returns.
    private func drive(resume: GatewayResumeState?, events: GatewayEventQueue) async -> GatewayError? {
        var machine = GatewaySessionStateMachine(
            gatewayURL: configuration.gatewayURL, resume: resume, configuration: configuration.session)
        let start = ContinuousClock.now
        func now() -> Duration { ContinuousClock.now - start }
        if let budget = configuration.identifyBudget {
            machine.setIdentifyBudget(
                remaining: budget.remaining, resetAfter: .milliseconds(budget.resetAfterMilliseconds),
                maxConcurrency: budget.maxConcurrency, now: now())
        }
        var connection = 0
        var writer: WebSocketOutboundWriter?
        var socket: Task<Void, Never>?
        // The close frame being written: apart from this loop, so a peer that stopped reading cannot hold the loop
        // (and with it the machine's deadline for the close).
        var closer: Task<Void, Never>?
        var timer: Task<Void, Never>?
        var timerDeadline: Duration?
        var failure: GatewayError?
        defer {
            timer?.cancel()
            closer?.cancel()
            socket?.cancel()
        }

        var iterator = inputs.makeAsyncIterator()
        var pending = machine.start(now: now())
        loop: while true {
            // Execute what the machine decided.
            while !pending.isEmpty {
                let action = pending.removeFirst()
                switch action {
                case .connect(let url):
                    connection += 1
                    writer = nil
                    socket = open(url: url, connection: connection)
                case .sendHeartbeat(let sequence):
                    await send(writer, "{\"op\":1,\"d\":\(sequence.map(String.init) ?? "null")}")
                case .sendIdentify:
                    await send(writer, identifyPayload())
                case .sendResume(let state):
                    await send(writer, resumePayload(state))
                case .close(let code):
                    if let closing = writer {
                        closer = Task { try? await closing.close(.init(codeNumber: Int(code)), reason: nil) }
                    }
                    writer = nil
                case .abandonConnection(let reason):
                    switch reason {
                    case .closeUnanswered:
                        logger.info("gateway connection not closed in time after a close: abandoned")
                    case .noHello:
                        logger.warning(
                            "gateway connection said no HELLO in time: abandoned, connecting again",
                            metadata: ["timeout": "\(configuration.session.helloTimeout)"])
                    }
                    writer = nil
                    socket?.cancel()
                    socket = nil
                    // What the abandoned socket still reports is about a connection that no longer counts.
                    connection += 1
                case .ready(let state, let resumed):
                    logger.info(
                        resumed ? "gateway session resumed" : "gateway session ready",
                        metadata: ["sequence": "\(state.sequence)"])
                    events.yield(.ready(state, resumed: resumed))
                    configuration.onConnectionChange?(true)
                case .sessionInvalidated:
                    logger.info("gateway session invalidated: identifying again")
                    events.yield(.sessionInvalidated)
                case .fail(let code):
                    failure = .closed(code: code)
                    break loop
                case .stopped:
                    break loop
                }
            }
            if machine.isFinished { break }
            // Keep one timer for the machine's next deadline.
            let deadline = machine.nextDeadline
            if deadline != timerDeadline {
                timer?.cancel()
                timerDeadline = deadline
                if let deadline {
                    let input = self.input
                    timer = Task {
                        try? await Task.sleep(until: start + deadline, clock: .continuous)
                        if !Task.isCancelled { input.yield(.tick) }
                    }
                }
            }
            // Wait for the next input.
            guard let next = await iterator.next() else { break }
            let time = now()
            switch next {
            case .tick:
                timerDeadline = nil
                pending = machine.tick(now: time)
            case .stop:
                pending = machine.stop(now: time)
            case .opened(let id, let outbound):
                guard id == connection else { continue }
                writer = outbound
                pending = machine.connected(now: time)
            case .closed(let id, let code):
                guard id == connection else { continue }
                writer = nil
                logger.debug("gateway connection closed", metadata: ["code": "\(code.map(String.init) ?? "none")"])
                configuration.onConnectionChange?(false)
                pending = machine.closed(code: code, now: time)
            case .text(let id, let text, let receivedAt):
                guard id == connection else { continue }
                pending = receive(text, receivedAt: receivedAt, machine: &machine, events: events, now: time)
            }
        }
        configuration.onConnectionChange?(false)
        return failure
    }

    /// Parses one frame, feeds the machine and forwards dispatches.
    private func receive(
        _ text: String, receivedAt: Date, machine: inout GatewaySessionStateMachine,
        events: GatewayEventQueue, now: Duration
    ) -> [GatewaySessionStateMachine.Action] {
        let data = Data(text.utf8)
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let op = object["op"] as? Int
        else {
            logger.warning("gateway sent a frame that is not JSON; ignored")
            return []
        }
        switch GatewayOpcode(rawValue: op) {
        case .hello:
            let interval = ((object["d"] as? [String: Any])?["heartbeat_interval"] as? Int) ?? 41_250
            return machine.receivedHello(interval: .milliseconds(interval), now: now)
        case .heartbeatAck:
            return machine.receivedHeartbeatAck(now: now)
        case .heartbeat:
            return machine.receivedHeartbeatRequest(now: now)
        case .reconnect:
            return machine.receivedReconnect(now: now)
        case .invalidSession:
            return machine.receivedInvalidSession(resumable: object["d"] as? Bool ?? false, now: now)
        case .dispatch:
            let sequence = object["s"] as? Int
            let name = object["t"] as? String ?? ""
            var actions = machine.receivedDispatch(sequence: sequence, now: now)
            events.yield(
                .dispatch(GatewayDispatch(name: name, sequence: sequence ?? 0, frame: data, receivedAt: receivedAt)))
            if name == "READY", let payload = object["d"] as? [String: Any],
                let sessionId = payload["session_id"] as? String
            {
                let resumeURL = payload["resume_gateway_url"] as? String ?? configuration.gatewayURL
                actions += machine.receivedReady(
                    sessionId: sessionId, resumeURL: resumeURL, sequence: sequence, now: now)
            } else if name == "RESUMED" {
                actions += machine.receivedResumed(sequence: sequence, now: now)
            }
            return actions
        default:
            return []
        }
    }

    // MARK: The socket

    private func open(url: String, connection: Int) -> Task<Void, Never> {
        let input = self.input
        let logger = self.logger
        let address = GatewayAddress.connecting(to: url)
        // Detached: the WebSocket layer closes with 1000 on a service-lifecycle graceful shutdown it inherits
        // through task-locals, and 1000 would end the session. Only `stop()` closes, with 4000.
        return Task.detached {
            do {
                let frame = try await WebSocketClient.connect(
                    url: address,
                    configuration: .init(maxFrameSize: 1 << 24, closeTimeout: .seconds(5)),
                    logger: logger
                ) { inbound, outbound, _ in
                    logger.debug("gateway connection opened")
                    input.yield(.opened(connection: connection, outbound))
                    for try await message in inbound.messages(maxSize: 1 << 26) {
                        if case .text(let text) = message {
                            input.yield(.text(connection: connection, text, receivedAt: Date()))
                        }
                    }
                }
                input.yield(
                    .closed(connection: connection, code: frame.map { UInt16(webSocketErrorCode: $0.closeCode) }))
            } catch {
                logger.debug("gateway connection failed", metadata: ["error": "\(error)"])
                input.yield(.closed(connection: connection, code: nil))
            }
        }
    }

    private func send(_ writer: WebSocketOutboundWriter?, _ text: String) async {
        guard let writer else { return }
        do {
            try await writer.write(.text(text))
        } catch {
            logger.debug("gateway send failed", metadata: ["error": "\(error)"])
        }
    }

    // MARK: Payloads

    func identifyPayload() -> String {
        var data: [String: Any] = [
            "token": configuration.token,
            "intents": configuration.intents.rawValue,
            "properties": ["os": "linux", "browser": "skald", "device": "skald"],
        ]
        if let shard = configuration.shard { data["shard"] = [shard.id, shard.count] }
        return Self.json(["op": GatewayOpcode.identify.rawValue, "d": data])
    }

    func resumePayload(_ state: GatewayResumeState) -> String {
        Self.json([
            "op": GatewayOpcode.resume.rawValue,
            "d": ["token": configuration.token, "session_id": state.sessionId, "seq": state.sequence] as [String: Any],
        ])
    }

    static func json(_ object: [String: Any]) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else {
            return "{}"
        }
        return String(decoding: data, as: UTF8.self)
    }
}
