import Hummingbird

extension SimulatorResponder {
    /// Every method a path may be asked with; a route's path answers the ones it does not serve with 405.
    static let methods: [HTTPRequest.Method] = [.get, .head, .post, .put, .patch, .delete, .options]

    /// The simulator's routes on Hummingbird's router: each ``Route`` under `/api/{version}` (any version reaches
    /// the handler, which answers 50041 for one Discord does not serve), 405 for a route's path asked with another
    /// method, the CDN under `/cdn` and `/media`, the admin surface under `/__sim`, and Discord's JSON 404 for the
    /// rest. To add an API route, add a ``Route`` case and its handler in ``handle(_:)``.
    func makeRouter() -> RouterResponder<BasicRequestContext> {
        let router = Router()
        var routesByPath: [String: [Route]] = [:]
        for route in Route.allCases {
            routesByPath[route.path, default: []].append(route)
            router.on(RouterPath("/api/{version}" + route.path), method: route.method) { request, context in
                Self.viaGoogle(try await api(request, route: route, parameters: context.parameters))
            }
        }
        for (path, routes) in routesByPath {
            for method in Self.methods where !routes.contains(where: { $0.method == method }) {
                router.on(RouterPath("/api/{version}" + path), method: method) { request, context in
                    Self.viaGoogle(
                        try await api(request, route: routes[0], methodServed: false, parameters: context.parameters))
                }
            }
        }
        addAdminRoutes(to: router)
        for method in Self.methods {
            for path in ["/api/{version}", "/api/{version}/**"] {
                router.on(RouterPath(path), method: method) { request, context in
                    Self.viaGoogle(try await api(request, route: nil, parameters: context.parameters))
                }
            }
            for path in ["/cdn/**", "/media/**"] {
                router.on(RouterPath(path), method: method) { request, _ in await cdn(request) }
            }
            router.on("/api", method: method) { _, _ in Self.viaGoogle(DiscordAPIError.notFoundRoute().response) }
            for path in ["/", "/**"] {
                router.on(RouterPath(path), method: method) { _, _ in DiscordAPIError.notFoundRoute().response }
            }
        }
        return router.buildResponder()
    }
}
