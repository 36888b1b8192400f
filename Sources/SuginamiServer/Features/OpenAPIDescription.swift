import SuginamiGIS

/// The OpenAPI 3.0 description of the daemon (`/api`): clients such as GDAL read the `limit`
/// maximum and the parameters they may send from it.
enum OpenAPIDescription {
    static func document(collectionIDs: [String]) -> JSONValue {
        func parameter(
            _ name: String, in location: String = "query", schema: JSONValue, required: Bool = false, _ text: String
        ) -> JSONValue {
            .object([
                ("name", .string(name)), ("in", .string(location)), ("required", .bool(required)),
                ("description", .string(text)), ("schema", schema),
            ])
        }
        func string(_ values: [String]? = nil) -> JSONValue {
            var pairs: [(key: String, value: JSONValue)] = [("type", .string("string"))]
            if let values { pairs.append(("enum", .array(values.map(JSONValue.string)))) }
            return .object(pairs)
        }
        func answer(_ type: String, _ text: String) -> JSONValue {
            .object([
                ("200", .object([("description", .string(text)), ("content", .object([(type, .object([]))]))])),
                ("400", .object([("description", .string("a bad parameter, with a message saying which and why"))])),
                ("404", .object([("description", .string("no such resource"))])),
            ])
        }
        func get(_ summary: String, _ parameters: [JSONValue], _ type: String) -> JSONValue {
            .object([
                (
                    "get",
                    .object([
                        ("summary", .string(summary)), ("parameters", .array(parameters)),
                        ("responses", answer(type, summary)),
                    ])
                )
            ])
        }
        // The operations API's writes: a JSON body, a bearer token, an optional Idempotency-Key;
        // README "Disaster operations" gives each body's fields.
        func operation(_ method: String, _ summary: String, bearer: Bool) -> JSONValue {
            .object([
                (
                    method,
                    .object([
                        ("summary", .string(summary)),
                        (
                            "parameters",
                            .array([
                                parameter(
                                    "Idempotency-Key", in: "header", schema: string(),
                                    "a retry with the same key and body gets the first answer (kept 72 h)")
                            ])
                        ),
                        ("security", .array([.object([("bearer", .array([]))])])),
                        (
                            "responses",
                            .object([
                                ("200", .object([("description", .string("done"))])),
                                ("201", .object([("description", .string("created"))])),
                                ("400", .object([("description", .string("a bad body, naming the field and why"))])),
                                ("401", .object([("description", .string("no token, or an unknown or revoked one"))])),
                                ("403", .object([("description", .string("the token's role may not do this"))])),
                                ("404", .object([("description", .string("no such centre or report"))])),
                                ("409", .object([("description", .string("not in a state that allows it"))])),
                                (
                                    "422",
                                    .object([("description", .string("an Idempotency-Key reused for another request"))])
                                ),
                                ("429", .object([("description", .string("too many reports from this client"))])),
                            ])
                        ),
                    ])
                )
            ])
        }
        let crs = string(ServedCRS.allCases.map(\.rawValue))
        let collectionID = parameter(
            "collectionId", in: "path", schema: string(collectionIDs), required: true, "the collection")
        let format = parameter(
            "f", schema: string(["json", "html"]), "the format: JSON (the default) or an HTML page for a browser")
        let itemsParameters = [
            collectionID,
            parameter(
                "limit",
                schema: .object([
                    ("type", .string("integer")), ("minimum", .number(1)),
                    ("maximum", .number(Double(ItemsQuery.maximumLimit))),
                    ("default", .number(Double(ItemsQuery.defaultLimit))),
                ]),
                "features per page; larger values are clamped to the maximum"),
            parameter(
                "offset", schema: .object([("type", .string("integer")), ("minimum", .number(0))]),
                "features skipped (next links carry it)"),
            parameter(
                "bbox",
                schema: .object([
                    ("type", .string("array")), ("minItems", .number(4)), ("maxItems", .number(6)),
                    ("items", .object([("type", .string("number"))])),
                ]),
                "minx,miny,maxx,maxy in bbox-crs (CRS84 by default)"),
            parameter("bbox-crs", schema: crs, "the CRS of bbox"),
            parameter("datetime", schema: string(), "an RFC 3339 instant or interval (.. for an open end)"),
            parameter("crs", schema: crs, "the CRS of the answer"),
            format,
        ]
        let paths: [(key: String, value: JSONValue)] = [
            ("/", get("the landing page", [format], FeaturesDocuments.json)),
            ("/conformance", get("the conformance classes", [format], FeaturesDocuments.json)),
            ("/api", get("this document", [], FeaturesDocuments.openAPI)),
            ("/collections", get("the collections", [format], FeaturesDocuments.json)),
            ("/collections/{collectionId}", get("one collection", [collectionID, format], FeaturesDocuments.json)),
            (
                "/collections/{collectionId}/items",
                get("a page of features", itemsParameters, FeaturesDocuments.geoJSON)
            ),
            (
                "/collections/{collectionId}/items/{featureId}",
                get(
                    "one feature",
                    [
                        collectionID,
                        parameter("featureId", in: "path", schema: string(), required: true, "the feature id"),
                        parameter("crs", schema: crs, "the CRS of the answer"), format,
                    ],
                    FeaturesDocuments.geoJSON)
            ),
            (
                "/routes",
                get(
                    "a walking route to the nearest open relief centre (or to `to`), avoiding closed roads",
                    [
                        parameter("from", schema: string(), required: true, "the start, longitude,latitude"),
                        parameter(
                            "to", schema: string(),
                            "a destination, longitude,latitude (default: the nearest open relief centre)"),
                        parameter(
                            "room", schema: .object([("type", .string("integer")), ("minimum", .number(1))]),
                            "only centres with room for this many people"),
                        parameter(
                            "lang", schema: string(RouteLanguage.allCases.map(\.rawValue)),
                            "the language of the instructions (default: Accept-Language, then ja)"),
                        parameter(
                            "for", schema: string(["resident", "stranded"]),
                            "stranded: to the nearest open temporary stay facility (一時滞在施設) instead"),
                    ],
                    FeaturesDocuments.geoJSON)
            ),
            ("/centres/{id}/status", operation("post", "a relief centre's status, occupancy and needs", bearer: true)),
            ("/reports", operation("post", "a damage report (the public's wait for review)", bearer: true)),
            (
                "/reports/{id}/{action}",
                operation("post", "headquarters' decision: verify, publish, reject, merge, withdraw", bearer: true)
            ),
            ("/reports/{id}/photo", operation("put", "the report's one photo, image/jpeg or image/png", bearer: true)),
            ("/tokens", operation("post", "issue a token (admin)", bearer: true)),
            ("/events", get("published changes as server-sent events (text/event-stream)", [], "text/event-stream")),
            (
                "/open-data/{file}",
                get("relief_centre_status.csv or damage_reports.csv (自治体標準-style CSV)", [], "text/csv")
            ),
            ("/healthz", get("whether the process runs", [], "text/plain")),
            ("/readyz", get("whether the daemon serves (503 while starting or stopping)", [], "text/plain")),
            ("/metrics", get("Prometheus metrics", [], "text/plain")),
        ]
        return .object([
            ("openapi", .string("3.0.3")),
            (
                "info",
                .object([
                    ("title", .string("SuginamiKit reference daemon")),
                    ("version", .string(ReferenceServer.version)),
                    (
                        "description",
                        .string(
                            "OGC API – Features (Parts 1 and 2) over the ward's open data, evacuation routes, "
                                + "and the disaster-operations API (relief-centre status and damage reports).")
                    ),
                ])
            ),
            ("paths", .object(paths)),
            (
                "components",
                .object([
                    (
                        "securitySchemes",
                        .object([("bearer", .object([("type", .string("http")), ("scheme", .string("bearer"))]))])
                    )
                ])
            ),
        ])
    }
}
