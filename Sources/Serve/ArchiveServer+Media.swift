import Foundation
import Hummingbird

extension ArchiveServer {
    /// `GET /media/PATH`: a downloaded attachment, or an asset `skald import --media` copied, from the archive's
    /// media folder (see ``MediaFolder``), sandboxed. Streamed from the disk in chunks, with byte ranges (a video
    /// seeks, a download resumes): before, each answer read the whole file into memory first (a 2 GB video, 2 GB of
    /// memory per viewer) and a `Range` was ignored, so a browser could not seek in a video it had not loaded.
    func addMediaRoutes(to router: Router<BasicRequestContext>) {
        let files = FileIO()
        router.get("media/**") { request, context in
            let relative = context.parameters.getCatchAll().joined(separator: "/")
            guard let folder = configuration.mediaFolder, let file = folder.file(relative),
                let size = (try? FileManager.default.attributesOfItem(atPath: file.path))?[.size] as? Int
            else { return ServeResponses.text("no such media file in the archive", status: .notFound) }
            var headers: HTTPFields = [
                .contentType: MediaFolder.contentType(of: file.lastPathComponent),
                .cacheControl: MediaFolder.cacheControl(of: relative),
                .contentSecurityPolicy: "default-src 'none'; sandbox",
                .init("X-Content-Type-Options")!: "nosniff",
                .acceptRanges: "bytes",
            ]
            switch ByteRangeRequest(header: request.headers[.range], size: size) {
            case .whole:
                let body = size == 0 ? ResponseBody() : try await files.loadFile(path: file.path, context: context)
                return Response(status: .ok, headers: headers, body: body)
            case .part(let range):
                headers[.contentRange] = "bytes \(range.lowerBound)-\(range.upperBound)/\(size)"
                let body = try await files.loadFile(path: file.path, range: range, context: context)
                return Response(status: .partialContent, headers: headers, body: body)
            case .unsatisfiable:
                headers[.contentRange] = "bytes */\(size)"
                return Response(status: .rangeNotSatisfiable, headers: headers)
            }
        }
    }
}
