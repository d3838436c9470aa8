/**
 * GENERATED from the ClipMix server's OpenAPI document — do not edit.
 * Regenerate with: node --import tsx packages/sdk/scripts/generate.ts
 */

export interface paths {
    "/api/v1/account": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Your account
         * @description API keys need the `account:read` scope.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A ClipMix account */
                200: {
                    headers: {
                        RateLimit: components["headers"]["RateLimit"];
                        "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                        "Request-Id": components["headers"]["Request-Id"];
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "object": "user",
                         *       "id": "usr_Hs7Kd2Lq9Wm4Xp1Zr6Tn3B",
                         *       "email": "ada@example.com",
                         *       "name": "Ada Park",
                         *       "email_verified": true,
                         *       "locale": "en",
                         *       "credits_balance": 975,
                         *       "created_at": "2025-06-02T08:11:45.003Z"
                         *     }
                         */
                        "application/json": {
                            /** @description ISO-8601 UTC */
                            created_at: string;
                            credits_balance: number;
                            email: string;
                            email_verified: boolean;
                            /** @description usr_… */
                            id: string;
                            /** @enum {string} */
                            locale: "en" | "es";
                            name: string;
                            /** @enum {string} */
                            object: "user";
                        };
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                404: components["responses"]["NotFound"];
                429: components["responses"]["RateLimited"];
                default: components["responses"]["Error"];
            };
        };
        put?: never;
        post?: never;
        /**
         * Delete your account
         * @description Needs a browser session (API keys get 403 `session_required`) and your password (403 `invalid_password`). Cancels your jobs, then removes every row and every stored file of yours, your sessions, API keys, webhook deliveries and consent records. Content you already published on third-party platforms stays there.
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Your current password */
                        password: string;
                    };
                };
            };
            responses: {
                /** @description Deleted */
                204: {
                    headers: {
                        RateLimit: components["headers"]["RateLimit"];
                        "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                        "Request-Id": components["headers"]["Request-Id"];
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                404: components["responses"]["NotFound"];
                429: components["responses"]["RateLimited"];
                default: components["responses"]["Error"];
            };
        };
        options?: never;
        head?: never;
        /**
         * Update your profile
         * @description Name and language (`en`, `es`). Setting the language also sets the `clipmix_lang` cookie.
         */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @enum {string} */
                        locale?: "en" | "es";
                        /** @description Display name */
                        name?: string;
                    };
                };
            };
            responses: {
                /** @description A ClipMix account */
                200: {
                    headers: {
                        RateLimit: components["headers"]["RateLimit"];
                        "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                        "Request-Id": components["headers"]["Request-Id"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description ISO-8601 UTC */
                            created_at: string;
                            credits_balance: number;
                            email: string;
                            email_verified: boolean;
                            /** @description usr_… */
                            id: string;
                            /** @enum {string} */
                            locale: "en" | "es";
                            name: string;
                            /** @enum {string} */
                            object: "user";
                        };
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                404: components["responses"]["NotFound"];
                429: components["responses"]["RateLimited"];
                default: components["responses"]["Error"];
            };
        };
        trace?: never;
    };
    "/api/v1/account/email_change": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Change the email address
         * @description Mails a confirmation link to the new address and a notice to the current one. Needs the current password.
         */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /**
                     * @description Makes a retry safe: the first response to this key (status and body) is kept for 24 h and returned again, with `Idempotent-Replayed: true`, to a retry of the same request. Scoped to the API key (or the session’s user); ignored on requests without credentials. The same key with a different request → 422 `idempotency_key_reused`; while the first request is still running → 409 `idempotency_key_in_use`. A file upload (multipart/form-data) is compared by its content — field names, file names, part types and bytes, not the boundary — so a re-encoded retry of the same form matches. Validation failures (400, 413, 415, 422) and 429s are not kept, so the corrected request can reuse the key. 1 to 255 characters (400 `invalid_idempotency_key` otherwise); a UUID is a good choice.
                     * @example 5d3c1f0e-8a6b-4c2e-9f1d-7b2a4e6c8d10
                     */
                    "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Email address (case-insensitive) */
                        new_email: string;
                        /** @description Your current password */
                        password: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                        RateLimit: components["headers"]["RateLimit"];
                        "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                        "Request-Id": components["headers"]["Request-Id"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            message: string;
                            /** @enum {string} */
                            object: "accepted";
                        };
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                404: components["responses"]["NotFound"];
                409: components["responses"]["IdempotencyKeyInUse"];
                422: components["responses"]["IdempotencyKeyReused"];
                429: components["responses"]["RateLimited"];
                default: components["responses"]["Error"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/account/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Export your data
         * @description Queues a free `account.export` job. Its `export` output is a ZIP with one JSON file per module (your rows, without password hashes, key hashes, secrets or IP hashes) and your files under `files/`. You get an email when it is ready.
         */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /**
                     * @description Makes a retry safe: the first response to this key (status and body) is kept for 24 h and returned again, with `Idempotent-Replayed: true`, to a retry of the same request. Scoped to the API key (or the session’s user); ignored on requests without credentials. The same key with a different request → 422 `idempotency_key_reused`; while the first request is still running → 409 `idempotency_key_in_use`. A file upload (multipart/form-data) is compared by its content — field names, file names, part types and bytes, not the boundary — so a re-encoded retry of the same form matches. Validation failures (400, 413, 415, 422) and 429s are not kept, so the corrected request can reuse the key. 1 to 255 characters (400 `invalid_idempotency_key` otherwise); a UUID is a good choice.
                     * @example 5d3c1f0e-8a6b-4c2e-9f1d-7b2a4e6c8d10
                     */
                    "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
                };
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A render or processing job. */
                202: {
                    headers: {
                        "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                        RateLimit: components["headers"]["RateLimit"];
                        "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                        "Request-Id": components["headers"]["Request-Id"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            attempts: number;
                            created_at: string;
                            credits_charged: number;
                            error: {
                                code: string;
                                message: string;
                            } | null;
                            finished_at: string | null;
                            /** @description job_… */
                            id: string;
                            /** @description The parameters the job was created with. */
                            input: {
                                [key: string]: unknown;
                            };
                            livemode: boolean;
                            /** @enum {string} */
                            object: "job";
                            output: {
                                files: {
                                    /** @description file_… */
                                    file: string;
                                    /** @description video, poster, timeline, audio, stems, … */
                                    role: string;
                                }[];
                                size_bytes: number;
                            } | null;
                            progress: number;
                            /** @description Which provider produced the result (local or a cloud vendor). */
                            provider: string;
                            started_at: string | null;
                            /** @enum {string} */
                            status: "queued" | "running" | "succeeded" | "failed" | "canceled";
                            /** @description music_video, song, edit, media.process, account.export, … */
                            type: string;
                        };
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                404: components["responses"]["NotFound"];
                409: components["responses"]["IdempotencyKeyInUse"];
                422: components["responses"]["IdempotencyKeyReused"];
                429: components["responses"]["RateLimited"];
                default: components["responses"]["Error"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/account/privacy": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your consent state */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Consent state */
                200: {
                    headers: {
                        RateLimit: components["headers"]["RateLimit"];
                        "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                        "Request-Id": components["headers"]["Request-Id"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description null: never asked (the cookie banner shows) */
                            analytics: boolean | null;
                            /** @enum {string} */
                            object: "privacy_consent";
                            /** @description Objection to legitimate-interest processing (hashed-email conversion sharing) */
                            objection: boolean;
                            source: string | null;
                            updated_at: string | null;
                        };
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                404: components["responses"]["NotFound"];
                429: components["responses"]["RateLimited"];
                default: components["responses"]["Error"];
            };
        };
        /**
         * Change your consent
         * @description `analytics`: first-party analytics on/off. `objection: true` objects to legitimate-interest processing: from this request on, no hashed email is shared for conversion measurement. Each change is added to your privacy log.
         */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        analytics?: boolean;
                        objection?: boolean;
                        /**
                         * @default settings
                         * @enum {string}
                         */
                        source?: "banner" | "settings" | "api";
                    };
                };
            };
            responses: {
                /** @description Consent state */
                200: {
                    headers: {
                        RateLimit: components["headers"]["RateLimit"];
                        "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                        "Request-Id": components["headers"]["Request-Id"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description null: never asked (the cookie banner shows) */
                            analytics: boolean | null;
                            /** @enum {string} */
                            object: "privacy_consent";
                            /** @description Objection to legitimate-interest processing (hashed-email conversion sharing) */
                            objection: boolean;
                            source: string | null;
                            updated_at: string | null;
                        };
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                404: components["responses"]["NotFound"];
                429: components["responses"]["RateLimited"];
                default: components["responses"]["Error"];
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/account/privacy/log": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Your privacy actions
         * @description Exports, consent changes and objections, newest first.
         */
        get: {
            parameters: {
                query?: {
                    ending_before?: string;
                    limit?: number;
                    starting_after?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        RateLimit: components["headers"]["RateLimit"];
                        "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                        "Request-Id": components["headers"]["Request-Id"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                /** @enum {string} */
                                action: "export_requested" | "export_ready" | "consent_changed" | "objection_set" | "objection_withdrawn";
                                created_at: string;
                                detail: {
                                    [key: string]: unknown;
                                };
                                id: string;
                                /** @enum {string} */
                                object: "privacy_log_entry";
                            }[];
                            has_more: boolean;
                            /** @enum {string} */
                            object: "list";
                        };
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                404: components["responses"]["NotFound"];
                429: components["responses"]["RateLimited"];
                default: components["responses"]["Error"];
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/analytics/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Record first-party analytics events
         * @description A batch of page views and session ends from the web app. Accepted only with consent: the signed-in user’s, or the anonymous browser’s (`device_id`, PUT /privacy/consent); 403 `consent_required` otherwise. No IP address is stored.
         */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /**
                     * @description Makes a retry safe: the first response to this key (status and body) is kept for 24 h and returned again, with `Idempotent-Replayed: true`, to a retry of the same request. Scoped to the API key (or the session’s user); ignored on requests without credentials. The same key with a different request → 422 `idempotency_key_reused`; while the first request is still running → 409 `idempotency_key_in_use`. A file upload (multipart/form-data) is compared by its content — field names, file names, part types and bytes, not the boundary — so a re-encoded retry of the same form matches. Validation failures (400, 413, 415, 422) and 429s are not kept, so the corrected request can reuse the key. 1 to 255 characters (400 `invalid_idempotency_key` otherwise); a UUID is a good choice.
                     * @example 5d3c1f0e-8a6b-4c2e-9f1d-7b2a4e6c8d10
                     */
                    "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        device_id: string;
                        events: {
                            device_type?: ("desktop" | "tablet" | "phone") | null;
                            /** @description Time on the previous page / the session */
                            duration_ms?: number | null;
                            language?: string | null;
                            /** Format: date-time */
                            occurred_at: string;
                            /** @description Route path only; the client strips query and fragment. */
                            path: string;
                            referrer?: string | null;
                            screen?: string | null;
                            /** @enum {string} */
                            type: "page_view" | "session_end";
                        }[];
                        session_id: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                        RateLimit: components["headers"]["RateLimit"];
                        "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                        "Request-Id": components["headers"]["Request-Id"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            accepted: number;
                            /** @enum {string} */
                            object: "analytics_batch";
                        };
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                404: components["responses"]["NotFound"];
                409: components["responses"]["IdempotencyKeyInUse"];
                422: components["responses"]["IdempotencyKeyReused"];
                429: components["responses"]["RateLimited"];
                default: components["responses"]["Error"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/api_keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List API keys
         * @description Newest first, revoked keys included (until they are purged 90 days after revocation). Session only.
         */
        get: {
            parameters: {
                query?: {
                    ending_before?: string;
                    limit?: number;
                    starting_after?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        RateLimit: components["headers"]["RateLimit"];
                        "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                        "Request-Id": components["headers"]["Request-Id"];
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "object": "list",
                         *       "data": [
                         *         {
                         *           "object": "api_key",
                         *           "id": "key_VWfuzfXDV0uOhiiCXD3I4d",
                         *           "name": "Production",
                         *           "prefix": "sk_live_TSig",
                         *           "livemode": true,
                         *           "scopes": [
                         *             "files:read",
                         *             "files:write",
                         *             "jobs:read",
                         *             "jobs:write"
                         *           ],
                         *           "rate_limit_per_minute": 600,
                         *           "callback_url": "https://hooks.example.com/clipmix",
                         *           "callback_disabled_at": null,
                         *           "expires_at": "2026-06-14T00:00:00.000Z",
                         *           "last_used_at": null,
                         *           "created_at": "2025-06-14T14:00:05.138Z",
                         *           "revoked_at": null
                         *         }
                         *       ],
                         *       "has_more": false
                         *     }
                         */
                        "application/json": {
                            data: {
                                /** @description Set when the callback answered 410 Gone; a successful test event or replay re-enables it. */
                                callback_disabled_at: string | null;
                                /** @description Where job webhooks are POSTed. */
                                callback_url: string | null;
                                created_at: string;
                                expires_at: string | null;
                                /** @description key_… */
                                id: string;
                                /** @description Updated at most once a minute. */
                                last_used_at: string | null;
                                /** @description false for `sk_test_` keys: no credits charged, watermarked 480p outputs. */
                                livemode: boolean;
                                name: string;
                                /** @enum {string} */
                                object: "api_key";
                                /** @description The first 12 characters of the secret, e.g. `sk_live_AbCd`, to recognise the key. */
                                prefix: string;
                                rate_limit_per_minute: number;
                                revoked_at: string | null;
                                scopes: ("files:read" | "files:write" | "jobs:read" | "jobs:write" | "logs:read" | "account:read")[];
                            }[];
                            has_more: boolean;
                            /** @enum {string} */
                            object: "list";
                        };
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                404: components["responses"]["NotFound"];
                429: components["responses"]["RateLimited"];
                default: components["responses"]["Error"];
            };
        };
        put?: never;
        /**
         * Create an API key
         * @description Returns the key with its `secret` (and `webhook_secret` when `callback_url` is set) — shown this once; only a SHA-256 hash is stored. callback_url must be public https. Session only.
         */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /**
                     * @description Makes a retry safe: the first response to this key (status and body) is kept for 24 h and returned again, with `Idempotent-Replayed: true`, to a retry of the same request. Scoped to the API key (or the session’s user); ignored on requests without credentials. The same key with a different request → 422 `idempotency_key_reused`; while the first request is still running → 409 `idempotency_key_in_use`. A file upload (multipart/form-data) is compared by its content — field names, file names, part types and bytes, not the boundary — so a re-encoded retry of the same form matches. Validation failures (400, 413, 415, 422) and 429s are not kept, so the corrected request can reuse the key. 1 to 255 characters (400 `invalid_idempotency_key` otherwise); a UUID is a good choice.
                     * @example 5d3c1f0e-8a6b-4c2e-9f1d-7b2a4e6c8d10
                     */
                    "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    /**
                     * @example {
                     *       "name": "Production",
                     *       "scopes": [
                     *         "files:read",
                     *         "files:write",
                     *         "jobs:read",
                     *         "jobs:write"
                     *       ],
                     *       "rate_limit_per_minute": 600,
                     *       "callback_url": "https://hooks.example.com/clipmix",
                     *       "expires_at": "2026-06-14T00:00:00.000Z"
                     *     }
                     */
                    "application/json": {
                        /** @description Public https URL for job webhooks. */
                        callback_url?: string | null;
                        /** @description When the key stops working (ISO-8601). */
                        expires_at?: string | null;
                        /** @description false creates an `sk_test_` key. Default true. */
                        livemode?: boolean;
                        name: string;
                        /** @description Default 600. */
                        rate_limit_per_minute?: number;
                        /** @description Default: every scope. */
                        scopes?: ("files:read" | "files:write" | "jobs:read" | "jobs:write" | "logs:read" | "account:read")[];
                    };
                };
            };
            responses: {
                /** @description A new API key with its secrets. An idempotent replay of this response omits `secret` and `webhook_secret`. */
                201: {
                    headers: {
                        "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                        RateLimit: components["headers"]["RateLimit"];
                        "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                        "Request-Id": components["headers"]["Request-Id"];
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "object": "api_key",
                         *       "id": "key_VWfuzfXDV0uOhiiCXD3I4d",
                         *       "name": "Production",
                         *       "prefix": "sk_live_TSig",
                         *       "livemode": true,
                         *       "scopes": [
                         *         "files:read",
                         *         "files:write",
                         *         "jobs:read",
                         *         "jobs:write"
                         *       ],
                         *       "rate_limit_per_minute": 600,
                         *       "callback_url": "https://hooks.example.com/clipmix",
                         *       "callback_disabled_at": null,
                         *       "expires_at": "2026-06-14T00:00:00.000Z",
                         *       "last_used_at": null,
                         *       "created_at": "2025-06-14T14:00:05.138Z",
                         *       "revoked_at": null,
                         *       "secret": "sk_live_TSigzT7AGxDcyVlQmvB7gd9YZkd2EU0Vwd6p",
                         *       "webhook_secret": "whsec_+i70utdTybcS9St+kzA+/b5AJNxupG+5"
                         *     }
                         */
                        "application/json": {
                            /** @description Set when the callback answered 410 Gone; a successful test event or replay re-enables it. */
                            callback_disabled_at: string | null;
                            /** @description Where job webhooks are POSTed. */
                            callback_url: string | null;
                            created_at: string;
                            expires_at: string | null;
                            /** @description key_… */
                            id: string;
                            /** @description Updated at most once a minute. */
                            last_used_at: string | null;
                            /** @description false for `sk_test_` keys: no credits charged, watermarked 480p outputs. */
                            livemode: boolean;
                            name: string;
                            /** @enum {string} */
                            object: "api_key";
                            /** @description The first 12 characters of the secret, e.g. `sk_live_AbCd`, to recognise the key. */
                            prefix: string;
                            rate_limit_per_minute: number;
                            revoked_at: string | null;
                            scopes: ("files:read" | "files:write" | "jobs:read" | "jobs:write" | "logs:read" | "account:read")[];
                            /** @description `sk_live_…` or `sk_test_…`. Shown once: store it now. */
                            secret: string;
                            /** @description `whsec_…` for verifying webhooks (Standard Webhooks), when a callback_url was given. Shown once. */
                            webhook_secret: string | null;
                        };
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                404: components["responses"]["NotFound"];
                409: components["responses"]["IdempotencyKeyInUse"];
                422: components["responses"]["IdempotencyKeyReused"];
                429: components["responses"]["RateLimited"];
                default: components["responses"]["Error"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/api_keys/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Retrieve an API key */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description An API key (its secret is only in the creation response). */
                200: {
                    headers: {
                        RateLimit: components["headers"]["RateLimit"];
                        "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                        "Request-Id": components["headers"]["Request-Id"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Set when the callback answered 410 Gone; a successful test event or replay re-enables it. */
                            callback_disabled_at: string | null;
                            /** @description Where job webhooks are POSTed. */
                            callback_url: string | null;
                            created_at: string;
                            expires_at: string | null;
                            /** @description key_… */
                            id: string;
                            /** @description Updated at most once a minute. */
                            last_used_at: string | null;
                            /** @description false for `sk_test_` keys: no credits charged, watermarked 480p outputs. */
                            livemode: boolean;
                            name: string;
                            /** @enum {string} */
                            object: "api_key";
                            /** @description The first 12 characters of the secret, e.g. `sk_live_AbCd`, to recognise the key. */
                            prefix: string;
                            rate_limit_per_minute: number;
                            revoked_at: string | null;
                            scopes: ("files:read" | "files:write" | "jobs:read" | "jobs:write" | "logs:read" | "account:read")[];
                        };
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                404: components["responses"]["NotFound"];
                429: components["responses"]["RateLimited"];
                default: components["responses"]["Error"];
            };
        };
        put?: never;
        post?: never;
        /**
         * Revoke an API key
         * @description The key answers 401 `api_key_revoked` from now on. Its metadata is deleted 90 days later. Session only.
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description An API key (its secret is only in the creation response). */
                200: {
                    headers: {
                        RateLimit: components["headers"]["RateLimit"];
                        "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                        "Request-Id": components["headers"]["Request-Id"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Set when the callback answered 410 Gone; a successful test event or replay re-enables it. */
                            callback_disabled_at: string | null;
                            /** @description Where job webhooks are POSTed. */
                            callback_url: string | null;
                            created_at: string;
                            expires_at: string | null;
                            /** @description key_… */
                            id: string;
                            /** @description Updated at most once a minute. */
                            last_used_at: string | null;
                            /** @description false for `sk_test_` keys: no credits charged, watermarked 480p outputs. */
                            livemode: boolean;
                            name: string;
                            /** @enum {string} */
                            object: "api_key";
                            /** @description The first 12 characters of the secret, e.g. `sk_live_AbCd`, to recognise the key. */
                            prefix: string;
                            rate_limit_per_minute: number;
                            revoked_at: string | null;
                            scopes: ("files:read" | "files:write" | "jobs:read" | "jobs:write" | "logs:read" | "account:read")[];
                        };
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                404: components["responses"]["NotFound"];
                429: components["responses"]["RateLimited"];
                default: components["responses"]["Error"];
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/api_keys/{id}/test_webhook": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a test event
         * @description POSTs a signed `test.ping` event to the key's callback URL now (one attempt) and returns the delivery with its result. A success re-enables a callback disabled by 410 Gone. Session only.
         */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /**
                     * @description Makes a retry safe: the first response to this key (status and body) is kept for 24 h and returned again, with `Idempotent-Replayed: true`, to a retry of the same request. Scoped to the API key (or the session’s user); ignored on requests without credentials. The same key with a different request → 422 `idempotency_key_reused`; while the first request is still running → 409 `idempotency_key_in_use`. A file upload (multipart/form-data) is compared by its content — field names, file names, part types and bytes, not the boundary — so a re-encoded retry of the same form matches. Validation failures (400, 413, 415, 422) and 429s are not kept, so the corrected request can reuse the key. 1 to 255 characters (400 `invalid_idempotency_key` otherwise); a UUID is a good choice.
                     * @example 5d3c1f0e-8a6b-4c2e-9f1d-7b2a4e6c8d10
                     */
                    "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
                };
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A webhook event sent (or being retried) to a callback URL, with every attempt. */
                200: {
                    headers: {
                        "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                        RateLimit: components["headers"]["RateLimit"];
                        "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                        "Request-Id": components["headers"]["Request-Id"];
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "object": "webhook_delivery",
                         *       "id": "whdel_0P8IggA8ecMRRLXhgbMvbg",
                         *       "event_id": "evt_epEW5ACmQ0zzUI1uNSpFwC",
                         *       "event_type": "test.ping",
                         *       "api_key": "key_VWfuzfXDV0uOhiiCXD3I4d",
                         *       "job": null,
                         *       "url": "https://hooks.example.com/clipmix",
                         *       "status": "succeeded",
                         *       "attempt_count": 1,
                         *       "max_attempts": 1,
                         *       "next_attempt_at": null,
                         *       "last_status_code": 200,
                         *       "last_error": null,
                         *       "replay_of": null,
                         *       "livemode": true,
                         *       "payload": {
                         *         "id": "evt_epEW5ACmQ0zzUI1uNSpFwC",
                         *         "type": "test.ping",
                         *         "created_at": "2025-06-14T14:00:34.530Z",
                         *         "data": {
                         *           "object": {
                         *             "object": "api_key",
                         *             "id": "key_VWfuzfXDV0uOhiiCXD3I4d",
                         *             "name": "Production",
                         *             "livemode": true
                         *           }
                         *         }
                         *       },
                         *       "created_at": "2025-06-14T14:00:34.530Z",
                         *       "delivered_at": "2025-06-14T14:00:34.583Z",
                         *       "attempts": [
                         *         {
                         *           "object": "webhook_attempt",
                         *           "attempt": 1,
                         *           "status_code": 200,
                         *           "error": null,
                         *           "response_excerpt": "ok",
                         *           "duration_ms": 52,
                         *           "created_at": "2025-06-14T14:00:34.583Z"
                         *         }
                         *       ]
                         *     }
                         */
                        "application/json": {
                            api_key: string;
                            attempt_count: number;
                            attempts: {
                                attempt: number;
                                created_at: string;
                                duration_ms: number;
                                error: string | null;
                                /** @enum {string} */
                                object: "webhook_attempt";
                                response_excerpt: string | null;
                                status_code: number | null;
                            }[];
                            created_at: string;
                            delivered_at: string | null;
                            /** @description evt_… (also the webhook-id header; the same across retries and replays) */
                            event_id: string;
                            /** @description job.succeeded, job.failed, job.canceled or test.ping */
                            event_type: string;
                            /** @description whdel_… */
                            id: string;
                            job: string | null;
                            last_error: string | null;
                            last_status_code: number | null;
                            livemode: boolean;
                            max_attempts: number;
                            next_attempt_at: string | null;
                            /** @enum {string} */
                            object: "webhook_delivery";
                            /** @description The JSON body sent: {id, type, created_at, data:{object}} */
                            payload: unknown;
                            replay_of: string | null;
                            /** @enum {string} */
                            status: "pending" | "succeeded" | "failed";
                            url: string;
                        };
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                404: components["responses"]["NotFound"];
                409: components["responses"]["IdempotencyKeyInUse"];
                422: components["responses"]["IdempotencyKeyReused"];
                429: components["responses"]["RateLimited"];
                default: components["responses"]["Error"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/email_change/confirm": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Confirm a new email address */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /**
                     * @description Makes a retry safe: the first response to this key (status and body) is kept for 24 h and returned again, with `Idempotent-Replayed: true`, to a retry of the same request. Scoped to the API key (or the session’s user); ignored on requests without credentials. The same key with a different request → 422 `idempotency_key_reused`; while the first request is still running → 409 `idempotency_key_in_use`. A file upload (multipart/form-data) is compared by its content — field names, file names, part types and bytes, not the boundary — so a re-encoded retry of the same form matches. Validation failures (400, 413, 415, 422) and 429s are not kept, so the corrected request can reuse the key. 1 to 255 characters (400 `invalid_idempotency_key` otherwise); a UUID is a good choice.
                     * @example 5d3c1f0e-8a6b-4c2e-9f1d-7b2a4e6c8d10
                     */
                    "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description The token from the emailed link */
                        token: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                        RateLimit: components["headers"]["RateLimit"];
                        "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                        "Request-Id": components["headers"]["Request-Id"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description A ClipMix account */
                            user: {
                                /** @description ISO-8601 UTC */
                                created_at: string;
                                credits_balance: number;
                                email: string;
                                email_verified: boolean;
                                /** @description usr_… */
                                id: string;
                                /** @enum {string} */
                                locale: "en" | "es";
                                name: string;
                                /** @enum {string} */
                                object: "user";
                            };
                        };
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                404: components["responses"]["NotFound"];
                409: components["responses"]["IdempotencyKeyInUse"];
                422: components["responses"]["IdempotencyKeyReused"];
                429: components["responses"]["RateLimited"];
                default: components["responses"]["Error"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sign in
         * @description Sets the session cookie. Unknown email and wrong password both answer 401 `invalid_credentials`.
         */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /**
                     * @description Makes a retry safe: the first response to this key (status and body) is kept for 24 h and returned again, with `Idempotent-Replayed: true`, to a retry of the same request. Scoped to the API key (or the session’s user); ignored on requests without credentials. The same key with a different request → 422 `idempotency_key_reused`; while the first request is still running → 409 `idempotency_key_in_use`. A file upload (multipart/form-data) is compared by its content — field names, file names, part types and bytes, not the boundary — so a re-encoded retry of the same form matches. Validation failures (400, 413, 415, 422) and 429s are not kept, so the corrected request can reuse the key. 1 to 255 characters (400 `invalid_idempotency_key` otherwise); a UUID is a good choice.
                     * @example 5d3c1f0e-8a6b-4c2e-9f1d-7b2a4e6c8d10
                     */
                    "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        email: string;
                        password: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                        RateLimit: components["headers"]["RateLimit"];
                        "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                        "Request-Id": components["headers"]["Request-Id"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Send as X-CSRF-Token on POST/PUT/PATCH/DELETE with this session */
                            csrf_token: string;
                            /** @description A ClipMix account */
                            user: {
                                /** @description ISO-8601 UTC */
                                created_at: string;
                                credits_balance: number;
                                email: string;
                                email_verified: boolean;
                                /** @description usr_… */
                                id: string;
                                /** @enum {string} */
                                locale: "en" | "es";
                                name: string;
                                /** @enum {string} */
                                object: "user";
                            };
                        };
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                404: components["responses"]["NotFound"];
                409: components["responses"]["IdempotencyKeyInUse"];
                422: components["responses"]["IdempotencyKeyReused"];
                429: components["responses"]["RateLimited"];
                default: components["responses"]["Error"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sign out
         * @description Ends this session and clears the cookie. With an API key there is no session: nothing happens (204).
         */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /**
                     * @description Makes a retry safe: the first response to this key (status and body) is kept for 24 h and returned again, with `Idempotent-Replayed: true`, to a retry of the same request. Scoped to the API key (or the session’s user); ignored on requests without credentials. The same key with a different request → 422 `idempotency_key_reused`; while the first request is still running → 409 `idempotency_key_in_use`. A file upload (multipart/form-data) is compared by its content — field names, file names, part types and bytes, not the boundary — so a re-encoded retry of the same form matches. Validation failures (400, 413, 415, 422) and 429s are not kept, so the corrected request can reuse the key. 1 to 255 characters (400 `invalid_idempotency_key` otherwise); a UUID is a good choice.
                     * @example 5d3c1f0e-8a6b-4c2e-9f1d-7b2a4e6c8d10
                     */
                    "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
                };
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description No content */
                204: {
                    headers: {
                        "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                        RateLimit: components["headers"]["RateLimit"];
                        "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                        "Request-Id": components["headers"]["Request-Id"];
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                404: components["responses"]["NotFound"];
                409: components["responses"]["IdempotencyKeyInUse"];
                422: components["responses"]["IdempotencyKeyReused"];
                429: components["responses"]["RateLimited"];
                default: components["responses"]["Error"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/password_reset": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Request a password reset link
         * @description Always 202 with the same body; the link is mailed only if the account exists.
         */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /**
                     * @description Makes a retry safe: the first response to this key (status and body) is kept for 24 h and returned again, with `Idempotent-Replayed: true`, to a retry of the same request. Scoped to the API key (or the session’s user); ignored on requests without credentials. The same key with a different request → 422 `idempotency_key_reused`; while the first request is still running → 409 `idempotency_key_in_use`. A file upload (multipart/form-data) is compared by its content — field names, file names, part types and bytes, not the boundary — so a re-encoded retry of the same form matches. Validation failures (400, 413, 415, 422) and 429s are not kept, so the corrected request can reuse the key. 1 to 255 characters (400 `invalid_idempotency_key` otherwise); a UUID is a good choice.
                     * @example 5d3c1f0e-8a6b-4c2e-9f1d-7b2a4e6c8d10
                     */
                    "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Email address (case-insensitive) */
                        email: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                        RateLimit: components["headers"]["RateLimit"];
                        "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                        "Request-Id": components["headers"]["Request-Id"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            message: string;
                            /** @enum {string} */
                            object: "accepted";
                        };
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                404: components["responses"]["NotFound"];
                409: components["responses"]["IdempotencyKeyInUse"];
                422: components["responses"]["IdempotencyKeyReused"];
                429: components["responses"]["RateLimited"];
                default: components["responses"]["Error"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/password_reset/confirm": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Set a new password
         * @description Spends the reset token, signs out every session of the account and voids other reset links.
         */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /**
                     * @description Makes a retry safe: the first response to this key (status and body) is kept for 24 h and returned again, with `Idempotent-Replayed: true`, to a retry of the same request. Scoped to the API key (or the session’s user); ignored on requests without credentials. The same key with a different request → 422 `idempotency_key_reused`; while the first request is still running → 409 `idempotency_key_in_use`. A file upload (multipart/form-data) is compared by its content — field names, file names, part types and bytes, not the boundary — so a re-encoded retry of the same form matches. Validation failures (400, 413, 415, 422) and 429s are not kept, so the corrected request can reuse the key. 1 to 255 characters (400 `invalid_idempotency_key` otherwise); a UUID is a good choice.
                     * @example 5d3c1f0e-8a6b-4c2e-9f1d-7b2a4e6c8d10
                     */
                    "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description 8–200 characters */
                        password: string;
                        /** @description The token from the emailed link */
                        token: string;
                    };
                };
            };
            responses: {
                /** @description No content */
                204: {
                    headers: {
                        "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                        RateLimit: components["headers"]["RateLimit"];
                        "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                        "Request-Id": components["headers"]["Request-Id"];
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                404: components["responses"]["NotFound"];
                409: components["responses"]["IdempotencyKeyInUse"];
                422: components["responses"]["IdempotencyKeyReused"];
                429: components["responses"]["RateLimited"];
                default: components["responses"]["Error"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/session": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Current session
         * @description The signed-in user and the CSRF token, or 401 (also for an API key: keys have no session).
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        RateLimit: components["headers"]["RateLimit"];
                        "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                        "Request-Id": components["headers"]["Request-Id"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Send as X-CSRF-Token on POST/PUT/PATCH/DELETE with this session */
                            csrf_token: string;
                            /** @description A ClipMix account */
                            user: {
                                /** @description ISO-8601 UTC */
                                created_at: string;
                                credits_balance: number;
                                email: string;
                                email_verified: boolean;
                                /** @description usr_… */
                                id: string;
                                /** @enum {string} */
                                locale: "en" | "es";
                                name: string;
                                /** @enum {string} */
                                object: "user";
                            };
                        };
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                404: components["responses"]["NotFound"];
                429: components["responses"]["RateLimited"];
                default: components["responses"]["Error"];
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/signup": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create an account
         * @description Creates the account, signs it in (session cookie) and mails a verification link. An address that already has an account gets 400 `signup_failed` (its owner is told by email).
         */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /**
                     * @description Makes a retry safe: the first response to this key (status and body) is kept for 24 h and returned again, with `Idempotent-Replayed: true`, to a retry of the same request. Scoped to the API key (or the session’s user); ignored on requests without credentials. The same key with a different request → 422 `idempotency_key_reused`; while the first request is still running → 409 `idempotency_key_in_use`. A file upload (multipart/form-data) is compared by its content — field names, file names, part types and bytes, not the boundary — so a re-encoded retry of the same form matches. Validation failures (400, 413, 415, 422) and 429s are not kept, so the corrected request can reuse the key. 1 to 255 characters (400 `invalid_idempotency_key` otherwise); a UUID is a good choice.
                     * @example 5d3c1f0e-8a6b-4c2e-9f1d-7b2a4e6c8d10
                     */
                    "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Email address (case-insensitive) */
                        email: string;
                        /** @description Display name */
                        name: string;
                        /** @description 8–200 characters */
                        password: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                        RateLimit: components["headers"]["RateLimit"];
                        "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                        "Request-Id": components["headers"]["Request-Id"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Send as X-CSRF-Token on POST/PUT/PATCH/DELETE with this session */
                            csrf_token: string;
                            /** @description A ClipMix account */
                            user: {
                                /** @description ISO-8601 UTC */
                                created_at: string;
                                credits_balance: number;
                                email: string;
                                email_verified: boolean;
                                /** @description usr_… */
                                id: string;
                                /** @enum {string} */
                                locale: "en" | "es";
                                name: string;
                                /** @enum {string} */
                                object: "user";
                            };
                        };
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                404: components["responses"]["NotFound"];
                409: components["responses"]["IdempotencyKeyInUse"];
                422: components["responses"]["IdempotencyKeyReused"];
                429: components["responses"]["RateLimited"];
                default: components["responses"]["Error"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/verify_email": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Verify the email address */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /**
                     * @description Makes a retry safe: the first response to this key (status and body) is kept for 24 h and returned again, with `Idempotent-Replayed: true`, to a retry of the same request. Scoped to the API key (or the session’s user); ignored on requests without credentials. The same key with a different request → 422 `idempotency_key_reused`; while the first request is still running → 409 `idempotency_key_in_use`. A file upload (multipart/form-data) is compared by its content — field names, file names, part types and bytes, not the boundary — so a re-encoded retry of the same form matches. Validation failures (400, 413, 415, 422) and 429s are not kept, so the corrected request can reuse the key. 1 to 255 characters (400 `invalid_idempotency_key` otherwise); a UUID is a good choice.
                     * @example 5d3c1f0e-8a6b-4c2e-9f1d-7b2a4e6c8d10
                     */
                    "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description The token from the emailed link */
                        token: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                        RateLimit: components["headers"]["RateLimit"];
                        "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                        "Request-Id": components["headers"]["Request-Id"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description A ClipMix account */
                            user: {
                                /** @description ISO-8601 UTC */
                                created_at: string;
                                credits_balance: number;
                                email: string;
                                email_verified: boolean;
                                /** @description usr_… */
                                id: string;
                                /** @enum {string} */
                                locale: "en" | "es";
                                name: string;
                                /** @enum {string} */
                                object: "user";
                            };
                        };
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                404: components["responses"]["NotFound"];
                409: components["responses"]["IdempotencyKeyInUse"];
                422: components["responses"]["IdempotencyKeyReused"];
                429: components["responses"]["RateLimited"];
                default: components["responses"]["Error"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/verify_email/resend": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send a new verification link */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /**
                     * @description Makes a retry safe: the first response to this key (status and body) is kept for 24 h and returned again, with `Idempotent-Replayed: true`, to a retry of the same request. Scoped to the API key (or the session’s user); ignored on requests without credentials. The same key with a different request → 422 `idempotency_key_reused`; while the first request is still running → 409 `idempotency_key_in_use`. A file upload (multipart/form-data) is compared by its content — field names, file names, part types and bytes, not the boundary — so a re-encoded retry of the same form matches. Validation failures (400, 413, 415, 422) and 429s are not kept, so the corrected request can reuse the key. 1 to 255 characters (400 `invalid_idempotency_key` otherwise); a UUID is a good choice.
                     * @example 5d3c1f0e-8a6b-4c2e-9f1d-7b2a4e6c8d10
                     */
                    "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
                };
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                        RateLimit: components["headers"]["RateLimit"];
                        "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                        "Request-Id": components["headers"]["Request-Id"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            message: string;
                            /** @enum {string} */
                            object: "accepted";
                        };
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                404: components["responses"]["NotFound"];
                409: components["responses"]["IdempotencyKeyInUse"];
                422: components["responses"]["IdempotencyKeyReused"];
                429: components["responses"]["RateLimited"];
                default: components["responses"]["Error"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/credits": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Credit balance and ledger
         * @description The balance and the newest ledger entries (Stripe pagination over the ledger).
         */
        get: {
            parameters: {
                query?: {
                    ending_before?: string;
                    limit?: number;
                    starting_after?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        RateLimit: components["headers"]["RateLimit"];
                        "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                        "Request-Id": components["headers"]["Request-Id"];
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "object": "credit_balance",
                         *       "balance": 975,
                         *       "ledger": {
                         *         "object": "list",
                         *         "data": [
                         *           {
                         *             "object": "credit_transaction",
                         *             "id": "txn_jVQMAXKVGkwQvv7Rvv4EI8",
                         *             "delta": -5,
                         *             "balance_after": 975,
                         *             "reason": "job_charge",
                         *             "job_id": "job_T5rE8wQ1yU4iO7pA0sD3fG",
                         *             "created_at": "2025-06-14T14:09:51.023Z"
                         *           },
                         *           {
                         *             "object": "credit_transaction",
                         *             "id": "txn_m5pR4NbnTIdrCorVC818Ew",
                         *             "delta": -10,
                         *             "balance_after": 980,
                         *             "reason": "job_charge",
                         *             "job_id": "job_Bv8pm2G3hdtKo502DY5BoA",
                         *             "created_at": "2025-06-14T14:05:34.510Z"
                         *           }
                         *         ],
                         *         "has_more": true
                         *       }
                         *     }
                         */
                        "application/json": {
                            balance: number;
                            ledger: {
                                data: {
                                    balance_after: number;
                                    created_at: string;
                                    /** @description Credits added (positive) or taken (negative). */
                                    delta: number;
                                    id: string;
                                    job_id: string | null;
                                    /** @enum {string} */
                                    object: "credit_transaction";
                                    /** @description e.g. job_charge, job_refund, starter, purchase */
                                    reason: string;
                                }[];
                                has_more: boolean;
                                /** @enum {string} */
                                object: "list";
                            };
                            /** @enum {string} */
                            object: "credit_balance";
                        };
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                404: components["responses"]["NotFound"];
                429: components["responses"]["RateLimited"];
                default: components["responses"]["Error"];
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/dev/mailbox": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Development mailbox
         * @description Mail captured while no SMTP_URL / RESEND_API_KEY is configured, newest first. Only in that mode, only from loopback; otherwise 404.
         */
        get: {
            parameters: {
                query?: {
                    ending_before?: string;
                    limit?: number;
                    starting_after?: string;
                    /** @description Only messages to this address */
                    to?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        RateLimit: components["headers"]["RateLimit"];
                        "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                        "Request-Id": components["headers"]["Request-Id"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                created_at: string;
                                html: string | null;
                                id: string;
                                /** @enum {string} */
                                object: "mail_message";
                                subject: string;
                                template: string;
                                text: string;
                                to: string;
                            }[];
                            has_more: boolean;
                            /** @enum {string} */
                            object: "list";
                        };
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                404: components["responses"]["NotFound"];
                429: components["responses"]["RateLimited"];
                default: components["responses"]["Error"];
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/edits": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Edit a video
         * @description Queues an `edit` job that applies the edit list to the source video non-destructively and outputs the `video` (H.264/AAC MP4) and a `poster` (JPEG). The source must be your own video (404 `resource_missing` for unknown files, 422 `file_kind_mismatch` for another kind); concat `inputs` and audio `file` are file ids checked the same way. A bad operation is a 422 `invalid_operations` whose `errors[].param` names it, e.g. `operations[3].end`. Test-mode keys (`sk_test_`) are not charged and get output at most 480 px high with a TEST watermark.
         */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /**
                     * @description Makes a retry safe: the first response to this key (status and body) is kept for 24 h and returned again, with `Idempotent-Replayed: true`, to a retry of the same request. Scoped to the API key (or the session’s user); ignored on requests without credentials. The same key with a different request → 422 `idempotency_key_reused`; while the first request is still running → 409 `idempotency_key_in_use`. A file upload (multipart/form-data) is compared by its content — field names, file names, part types and bytes, not the boundary — so a re-encoded retry of the same form matches. Validation failures (400, 413, 415, 422) and 429s are not kept, so the corrected request can reuse the key. 1 to 255 characters (400 `invalid_idempotency_key` otherwise); a UUID is a good choice.
                     * @example 5d3c1f0e-8a6b-4c2e-9f1d-7b2a4e6c8d10
                     */
                    "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    /**
                     * @example {
                     *       "source_file": "file_1j5hottxcHeyx0OTYIgGRB",
                     *       "operations": [
                     *         {
                     *           "type": "trim",
                     *           "start": 2,
                     *           "end": 32
                     *         },
                     *         {
                     *           "type": "text",
                     *           "text": "Summer Nights",
                     *           "start": 0,
                     *           "end": 3,
                     *           "position": "bottom",
                     *           "size": 48,
                     *           "color": "#ffffff",
                     *           "animation": "fade"
                     *         },
                     *         {
                     *           "type": "filter",
                     *           "name": "warm"
                     *         },
                     *         {
                     *           "type": "crop",
                     *           "aspect": "9:16"
                     *         },
                     *         {
                     *           "type": "fade",
                     *           "in": 0.5,
                     *           "out": 1
                     *         }
                     *       ]
                     *     }
                     */
                    "application/json": {
                        /** @description The edit list, applied in order; times are seconds of the output of the previous operation. Operations: `trim` {start, end} · `cut` {start, end} · `concat` {inputs: [file ids (kind video), or 0 for the source]} · `text` {text, start, end, position: top|center|bottom|{x, y}, font?, size?, color?, outline?, shadow?, animation?: fade|slide|none} · `filter` {name (GET /api/v1/edits/filters), intensity?} · `crop` {aspect: 1:1|9:16|16:9|4:5} or {x, y, width, height} · `rotate` {degrees: 90|180|270} · `flip` {direction} · `speed` {factor: 0.25..4} · `audio` {mode: mute|replace|mix, file?: a file id, volume?, duck?} · `fade` {in?, out?} · `resize` {resolution}. */
                        operations: unknown[];
                        /** @description An uploaded or generated video (kind `video`). */
                        source_file: string;
                    };
                };
            };
            responses: {
                /** @description A render or processing job. */
                202: {
                    headers: {
                        "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                        RateLimit: components["headers"]["RateLimit"];
                        "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                        "Request-Id": components["headers"]["Request-Id"];
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "object": "job",
                         *       "output": null,
                         *       "error": null,
                         *       "livemode": true,
                         *       "id": "job_T5rE8wQ1yU4iO7pA0sD3fG",
                         *       "type": "edit",
                         *       "status": "queued",
                         *       "progress": 0,
                         *       "created_at": "2025-06-14T14:09:51.022Z",
                         *       "started_at": null,
                         *       "finished_at": null,
                         *       "input": {
                         *         "source_file": "file_1j5hottxcHeyx0OTYIgGRB",
                         *         "operations": [
                         *           {
                         *             "type": "trim",
                         *             "start": 2,
                         *             "end": 32
                         *           },
                         *           {
                         *             "type": "text",
                         *             "text": "Summer Nights",
                         *             "start": 0,
                         *             "end": 3,
                         *             "position": "bottom",
                         *             "size": 48,
                         *             "color": "#ffffff",
                         *             "animation": "fade"
                         *           },
                         *           {
                         *             "type": "filter",
                         *             "name": "warm"
                         *           },
                         *           {
                         *             "type": "crop",
                         *             "aspect": "9:16"
                         *           },
                         *           {
                         *             "type": "fade",
                         *             "in": 0.5,
                         *             "out": 1
                         *           }
                         *         ]
                         *       },
                         *       "credits_charged": 5,
                         *       "provider": "local",
                         *       "attempts": 0
                         *     }
                         */
                        "application/json": {
                            attempts: number;
                            created_at: string;
                            credits_charged: number;
                            error: {
                                code: string;
                                message: string;
                            } | null;
                            finished_at: string | null;
                            /** @description job_… */
                            id: string;
                            /** @description The parameters the job was created with. */
                            input: {
                                [key: string]: unknown;
                            };
                            livemode: boolean;
                            /** @enum {string} */
                            object: "job";
                            output: {
                                files: {
                                    /** @description file_… */
                                    file: string;
                                    /** @description video, poster, timeline, audio, stems, … */
                                    role: string;
                                }[];
                                size_bytes: number;
                            } | null;
                            progress: number;
                            /** @description Which provider produced the result (local or a cloud vendor). */
                            provider: string;
                            started_at: string | null;
                            /** @enum {string} */
                            status: "queued" | "running" | "succeeded" | "failed" | "canceled";
                            /** @description music_video, song, edit, media.process, account.export, … */
                            type: string;
                        };
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                404: components["responses"]["NotFound"];
                409: components["responses"]["IdempotencyKeyInUse"];
                422: components["responses"]["IdempotencyKeyReused"];
                429: components["responses"]["RateLimited"];
                default: components["responses"]["Error"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/edits/filters": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List edit filters
         * @description The looks accepted by `name` in the `filter` operation.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        RateLimit: components["headers"]["RateLimit"];
                        "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                        "Request-Id": components["headers"]["Request-Id"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                label: string;
                                name: string;
                                /** @enum {string} */
                                object: "edit_filter";
                            }[];
                            has_more: boolean;
                            /** @enum {string} */
                            object: "list";
                        };
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                404: components["responses"]["NotFound"];
                429: components["responses"]["RateLimited"];
                default: components["responses"]["Error"];
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/edits/preview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Preview one frame of an edit
         * @description Renders the frame at `time` (seconds of the edited output) of the edit list as `image/jpeg`, for editing UIs (filter thumbnails, the paused player). Nothing is stored. The source must be your own video (404 `resource_missing` for unknown files, 422 `file_kind_mismatch` for another kind); concat `inputs` and audio `file` are file ids checked the same way. A bad operation is a 422 `invalid_operations` whose `errors[].param` names it, e.g. `operations[3].end`.
         */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /**
                     * @description Makes a retry safe: the first response to this key (status and body) is kept for 24 h and returned again, with `Idempotent-Replayed: true`, to a retry of the same request. Scoped to the API key (or the session’s user); ignored on requests without credentials. The same key with a different request → 422 `idempotency_key_reused`; while the first request is still running → 409 `idempotency_key_in_use`. A file upload (multipart/form-data) is compared by its content — field names, file names, part types and bytes, not the boundary — so a re-encoded retry of the same form matches. Validation failures (400, 413, 415, 422) and 429s are not kept, so the corrected request can reuse the key. 1 to 255 characters (400 `invalid_idempotency_key` otherwise); a UUID is a good choice.
                     * @example 5d3c1f0e-8a6b-4c2e-9f1d-7b2a4e6c8d10
                     */
                    "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description The edit list, applied in order; times are seconds of the output of the previous operation. Operations: `trim` {start, end} · `cut` {start, end} · `concat` {inputs: [file ids (kind video), or 0 for the source]} · `text` {text, start, end, position: top|center|bottom|{x, y}, font?, size?, color?, outline?, shadow?, animation?: fade|slide|none} · `filter` {name (GET /api/v1/edits/filters), intensity?} · `crop` {aspect: 1:1|9:16|16:9|4:5} or {x, y, width, height} · `rotate` {degrees: 90|180|270} · `flip` {direction} · `speed` {factor: 0.25..4} · `audio` {mode: mute|replace|mix, file?: a file id, volume?, duck?} · `fade` {in?, out?} · `resize` {resolution}. */
                        operations: unknown[];
                        /** @description An uploaded or generated video (kind `video`). */
                        source_file: string;
                        /** @description Seconds of the edited output. */
                        time: number;
                        /** @description Frame width in pixels (default: the edited width, at most 1280). */
                        width?: number;
                    };
                };
            };
            responses: {
                /** @description The frame as a JPEG. */
                200: {
                    headers: {
                        "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                        RateLimit: components["headers"]["RateLimit"];
                        "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                        "Request-Id": components["headers"]["Request-Id"];
                        [name: string]: unknown;
                    };
                    content: {
                        "image/jpeg": string;
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                404: components["responses"]["NotFound"];
                409: components["responses"]["IdempotencyKeyInUse"];
                422: components["responses"]["IdempotencyKeyReused"];
                429: components["responses"]["RateLimited"];
                default: components["responses"]["Error"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/files": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List files
         * @description Newest first. Uploads and job outputs; thumbnails and waveforms appear as links on their file.
         */
        get: {
            parameters: {
                query?: {
                    ending_before?: string;
                    kind?: "audio" | "image" | "video" | "other";
                    limit?: number;
                    purpose?: "audio" | "image" | "video" | "voice_sample" | "face";
                    starting_after?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        RateLimit: components["headers"]["RateLimit"];
                        "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                        "Request-Id": components["headers"]["Request-Id"];
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "object": "list",
                         *       "data": [
                         *         {
                         *           "object": "file",
                         *           "role": null,
                         *           "parent_file": null,
                         *           "job": null,
                         *           "id": "file_FDfny5sRa1OGgS0bkw8y5W",
                         *           "kind": "image",
                         *           "purpose": "image",
                         *           "mime": "image/jpeg",
                         *           "size_bytes": 546291,
                         *           "duration_seconds": null,
                         *           "width": 1200,
                         *           "height": 800,
                         *           "filename": "beach.jpg",
                         *           "status": "ready",
                         *           "thumbnail_url": "/api/v1/files/file_CTrgaCd5QxTuerYdBq20dA/content",
                         *           "waveform_url": null,
                         *           "content_url": "/api/v1/files/file_FDfny5sRa1OGgS0bkw8y5W/content",
                         *           "processing_job": "job_q6ltRriG8IWQ7faIK3ahSC",
                         *           "created_at": "2025-06-14T14:01:06.241Z"
                         *         },
                         *         {
                         *           "object": "file",
                         *           "role": null,
                         *           "parent_file": null,
                         *           "job": null,
                         *           "id": "file_p4mFcIMGWWvUnclP18mA2G",
                         *           "kind": "audio",
                         *           "purpose": "audio",
                         *           "mime": "audio/mpeg",
                         *           "size_bytes": 3529278,
                         *           "duration_seconds": 183.4,
                         *           "width": null,
                         *           "height": null,
                         *           "filename": "summer-nights.mp3",
                         *           "status": "ready",
                         *           "thumbnail_url": null,
                         *           "waveform_url": "/api/v1/files/file_N3bV6cX9zL2kJ5hG8fD1sA/content",
                         *           "content_url": "/api/v1/files/file_p4mFcIMGWWvUnclP18mA2G/content",
                         *           "processing_job": "job_WpCSn4RLrt38QLsb5lIiMJ",
                         *           "created_at": "2025-06-14T14:01:04.177Z"
                         *         }
                         *       ],
                         *       "has_more": false
                         *     }
                         */
                        "application/json": {
                            data: {
                                content_url: string;
                                created_at: string;
                                duration_seconds: number | null;
                                filename: string;
                                height: number | null;
                                /** @description file_… */
                                id: string;
                                /** @description The job that produced this file. */
                                job: string | null;
                                /** @enum {string} */
                                kind: "audio" | "image" | "video" | "other";
                                mime: string;
                                /** @enum {string} */
                                object: "file";
                                /** @description The upload a thumbnail or waveform was derived from. */
                                parent_file: string | null;
                                processing_job: string | null;
                                purpose: (("audio" | "image" | "video" | "voice_sample" | "face") | string) | null;
                                /** @description Output role for job outputs and derived files (thumbnail, waveform, video, …). */
                                role: string | null;
                                size_bytes: number;
                                /**
                                 * @description ready once the thumbnail and waveform job has finished.
                                 * @enum {string}
                                 */
                                status: "processing" | "ready";
                                thumbnail_url: string | null;
                                /** @description JSON {peaks:[min,max,…], duration_seconds} */
                                waveform_url: string | null;
                                /** @description Upright pixel width (EXIF orientation and video rotation applied). */
                                width: number | null;
                            }[];
                            has_more: boolean;
                            /** @enum {string} */
                            object: "list";
                        };
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                404: components["responses"]["NotFound"];
                429: components["responses"]["RateLimited"];
                default: components["responses"]["Error"];
            };
        };
        put?: never;
        /**
         * Upload a file
         * @description multipart/form-data with field `file` (and optional `purpose`), or JSON `{upload_id, purpose?}` for a finished tus upload. The content is validated by decoding it: 415 `unsupported_media_type`, 422 `media_invalid` | `media_too_long` | `image_too_large` | `purpose_mismatch`, 413 over the upload limit. A `media.process` job then makes the thumbnail and waveform. With `Idempotency-Key`, a multipart body is compared by its content (field names, file names, part types and bytes; not the boundary): a retry of the same form gets the first response again, a different file with the same key 422 `idempotency_key_reused`.
         */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /**
                     * @description Makes a retry safe: the first response to this key (status and body) is kept for 24 h and returned again, with `Idempotent-Replayed: true`, to a retry of the same request. Scoped to the API key (or the session’s user); ignored on requests without credentials. The same key with a different request → 422 `idempotency_key_reused`; while the first request is still running → 409 `idempotency_key_in_use`. A file upload (multipart/form-data) is compared by its content — field names, file names, part types and bytes, not the boundary — so a re-encoded retry of the same form matches. Validation failures (400, 413, 415, 422) and 429s are not kept, so the corrected request can reuse the key. 1 to 255 characters (400 `invalid_idempotency_key` otherwise); a UUID is a good choice.
                     * @example 5d3c1f0e-8a6b-4c2e-9f1d-7b2a4e6c8d10
                     */
                    "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    /**
                     * @example {
                     *       "upload_id": "9f2c4e7a1b3d5f6081a2c3e4b5d6f708",
                     *       "purpose": "image"
                     *     }
                     */
                    "application/json": {
                        /**
                         * Format: binary
                         * @description multipart/form-data: the file.
                         */
                        file?: string;
                        /** @enum {string} */
                        purpose?: "audio" | "image" | "video" | "voice_sample" | "face";
                        /** @description application/json: a finished tus upload instead of a file. */
                        upload_id?: string;
                    };
                    "multipart/form-data": {
                        /**
                         * Format: binary
                         * @description multipart/form-data: the file.
                         */
                        file?: string;
                        /** @enum {string} */
                        purpose?: "audio" | "image" | "video" | "voice_sample" | "face";
                        /** @description application/json: a finished tus upload instead of a file. */
                        upload_id?: string;
                    };
                };
            };
            responses: {
                /** @description A stored file. */
                201: {
                    headers: {
                        "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                        RateLimit: components["headers"]["RateLimit"];
                        "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                        "Request-Id": components["headers"]["Request-Id"];
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "object": "file",
                         *       "role": null,
                         *       "parent_file": null,
                         *       "job": null,
                         *       "id": "file_FDfny5sRa1OGgS0bkw8y5W",
                         *       "kind": "image",
                         *       "purpose": "image",
                         *       "mime": "image/jpeg",
                         *       "size_bytes": 546291,
                         *       "duration_seconds": null,
                         *       "width": 1200,
                         *       "height": 800,
                         *       "filename": "beach.jpg",
                         *       "status": "processing",
                         *       "thumbnail_url": null,
                         *       "waveform_url": null,
                         *       "content_url": "/api/v1/files/file_FDfny5sRa1OGgS0bkw8y5W/content",
                         *       "processing_job": "job_q6ltRriG8IWQ7faIK3ahSC",
                         *       "created_at": "2025-06-14T14:01:06.241Z"
                         *     }
                         */
                        "application/json": {
                            content_url: string;
                            created_at: string;
                            duration_seconds: number | null;
                            filename: string;
                            height: number | null;
                            /** @description file_… */
                            id: string;
                            /** @description The job that produced this file. */
                            job: string | null;
                            /** @enum {string} */
                            kind: "audio" | "image" | "video" | "other";
                            mime: string;
                            /** @enum {string} */
                            object: "file";
                            /** @description The upload a thumbnail or waveform was derived from. */
                            parent_file: string | null;
                            processing_job: string | null;
                            purpose: (("audio" | "image" | "video" | "voice_sample" | "face") | string) | null;
                            /** @description Output role for job outputs and derived files (thumbnail, waveform, video, …). */
                            role: string | null;
                            size_bytes: number;
                            /**
                             * @description ready once the thumbnail and waveform job has finished.
                             * @enum {string}
                             */
                            status: "processing" | "ready";
                            thumbnail_url: string | null;
                            /** @description JSON {peaks:[min,max,…], duration_seconds} */
                            waveform_url: string | null;
                            /** @description Upright pixel width (EXIF orientation and video rotation applied). */
                            width: number | null;
                        };
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                404: components["responses"]["NotFound"];
                409: components["responses"]["IdempotencyKeyInUse"];
                422: components["responses"]["IdempotencyKeyReused"];
                429: components["responses"]["RateLimited"];
                default: components["responses"]["Error"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/files/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Retrieve a file */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A stored file. */
                200: {
                    headers: {
                        RateLimit: components["headers"]["RateLimit"];
                        "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                        "Request-Id": components["headers"]["Request-Id"];
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "object": "file",
                         *       "role": null,
                         *       "parent_file": null,
                         *       "job": null,
                         *       "id": "file_FDfny5sRa1OGgS0bkw8y5W",
                         *       "kind": "image",
                         *       "purpose": "image",
                         *       "mime": "image/jpeg",
                         *       "size_bytes": 546291,
                         *       "duration_seconds": null,
                         *       "width": 1200,
                         *       "height": 800,
                         *       "filename": "beach.jpg",
                         *       "status": "ready",
                         *       "thumbnail_url": "/api/v1/files/file_CTrgaCd5QxTuerYdBq20dA/content",
                         *       "waveform_url": null,
                         *       "content_url": "/api/v1/files/file_FDfny5sRa1OGgS0bkw8y5W/content",
                         *       "processing_job": "job_q6ltRriG8IWQ7faIK3ahSC",
                         *       "created_at": "2025-06-14T14:01:06.241Z"
                         *     }
                         */
                        "application/json": {
                            content_url: string;
                            created_at: string;
                            duration_seconds: number | null;
                            filename: string;
                            height: number | null;
                            /** @description file_… */
                            id: string;
                            /** @description The job that produced this file. */
                            job: string | null;
                            /** @enum {string} */
                            kind: "audio" | "image" | "video" | "other";
                            mime: string;
                            /** @enum {string} */
                            object: "file";
                            /** @description The upload a thumbnail or waveform was derived from. */
                            parent_file: string | null;
                            processing_job: string | null;
                            purpose: (("audio" | "image" | "video" | "voice_sample" | "face") | string) | null;
                            /** @description Output role for job outputs and derived files (thumbnail, waveform, video, …). */
                            role: string | null;
                            size_bytes: number;
                            /**
                             * @description ready once the thumbnail and waveform job has finished.
                             * @enum {string}
                             */
                            status: "processing" | "ready";
                            thumbnail_url: string | null;
                            /** @description JSON {peaks:[min,max,…], duration_seconds} */
                            waveform_url: string | null;
                            /** @description Upright pixel width (EXIF orientation and video rotation applied). */
                            width: number | null;
                        };
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                404: components["responses"]["NotFound"];
                429: components["responses"]["RateLimited"];
                default: components["responses"]["Error"];
            };
        };
        put?: never;
        post?: never;
        /**
         * Delete a file
         * @description Removes the file, its bytes and its thumbnail/waveform.
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Deleted */
                204: {
                    headers: {
                        RateLimit: components["headers"]["RateLimit"];
                        "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                        "Request-Id": components["headers"]["Request-Id"];
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                404: components["responses"]["NotFound"];
                429: components["responses"]["RateLimited"];
                default: components["responses"]["Error"];
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/files/{id}/content": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Download a file
         * @description The bytes, with HTTP Range support (single ranges: 206 Partial Content; 416 when unsatisfiable). `?download=1` → attachment.
         */
        get: {
            parameters: {
                query?: {
                    /** @description 1 → Content-Disposition: attachment */
                    download?: "0" | "1" | "true" | "false";
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        RateLimit: components["headers"]["RateLimit"];
                        "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                        "Request-Id": components["headers"]["Request-Id"];
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                404: components["responses"]["NotFound"];
                429: components["responses"]["RateLimited"];
                default: components["responses"]["Error"];
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/jobs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List jobs
         * @description Newest first; filter by status and type.
         */
        get: {
            parameters: {
                query?: {
                    ending_before?: string;
                    limit?: number;
                    starting_after?: string;
                    status?: "queued" | "running" | "succeeded" | "failed" | "canceled";
                    type?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        RateLimit: components["headers"]["RateLimit"];
                        "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                        "Request-Id": components["headers"]["Request-Id"];
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "object": "list",
                         *       "data": [
                         *         {
                         *           "object": "job",
                         *           "output": null,
                         *           "error": null,
                         *           "livemode": true,
                         *           "id": "job_Bv8pm2G3hdtKo502DY5BoA",
                         *           "type": "song",
                         *           "status": "queued",
                         *           "progress": 0,
                         *           "created_at": "2025-06-14T14:05:34.509Z",
                         *           "started_at": null,
                         *           "finished_at": null,
                         *           "input": {
                         *             "lyrics": "[Verse]\nHeadlights on the empty road\nRadio low, the city glows\n[Chorus]\nWe are driving home at dawn",
                         *             "genre": "edm",
                         *             "mood": "energetic",
                         *             "duration_seconds": 90,
                         *             "tempo_bpm": 124,
                         *             "key": "A minor",
                         *             "vocals": "sung",
                         *             "title": "Home at Dawn",
                         *             "seed": 1044386376
                         *           },
                         *           "credits_charged": 10,
                         *           "provider": "local-composer (algorithmic)",
                         *           "attempts": 0
                         *         },
                         *         {
                         *           "object": "job",
                         *           "output": {
                         *             "files": [
                         *               {
                         *                 "file": "file_1j5hottxcHeyx0OTYIgGRB",
                         *                 "role": "video"
                         *               },
                         *               {
                         *                 "file": "file_JtjFNfgFxPywwQVVt2T3iq",
                         *                 "role": "poster"
                         *               },
                         *               {
                         *                 "file": "file_0FbLFmCrF5UHXCjsYUthcP",
                         *                 "role": "timeline"
                         *               }
                         *             ],
                         *             "size_bytes": 24079741
                         *           },
                         *           "error": null,
                         *           "livemode": true,
                         *           "id": "job_IqIcHQzkeGoHW3AxJpCF4Q",
                         *           "type": "music_video",
                         *           "status": "succeeded",
                         *           "progress": 1,
                         *           "created_at": "2025-06-14T14:02:07.590Z",
                         *           "started_at": "2025-06-14T14:02:07.594Z",
                         *           "finished_at": "2025-06-14T14:02:41.242Z",
                         *           "input": {
                         *             "audio_file": "file_p4mFcIMGWWvUnclP18mA2G",
                         *             "image_files": [
                         *               "file_FDfny5sRa1OGgS0bkw8y5W",
                         *               "file_8uQbZ1xKc0TnRw3sLp7VhY",
                         *               "file_Jd4mQe9sTf2WvXa6Bc1NgK"
                         *             ],
                         *             "video_files": [
                         *               "file_Wq7eR2tY5uI8oP1aS4dF6g"
                         *             ],
                         *             "style": "cinematic",
                         *             "aspect_ratio": "16:9",
                         *             "resolution": "1080p",
                         *             "lyrics": {
                         *               "lrc": "[00:12.40]We ran through the summer nights\n[00:16.85]Chasing every neon light"
                         *             },
                         *             "title": "Summer Nights"
                         *           },
                         *           "credits_charged": 10,
                         *           "provider": "local",
                         *           "attempts": 1
                         *         }
                         *       ],
                         *       "has_more": true
                         *     }
                         */
                        "application/json": {
                            data: {
                                attempts: number;
                                created_at: string;
                                credits_charged: number;
                                error: {
                                    code: string;
                                    message: string;
                                } | null;
                                finished_at: string | null;
                                /** @description job_… */
                                id: string;
                                /** @description The parameters the job was created with. */
                                input: {
                                    [key: string]: unknown;
                                };
                                livemode: boolean;
                                /** @enum {string} */
                                object: "job";
                                output: {
                                    files: {
                                        /** @description file_… */
                                        file: string;
                                        /** @description video, poster, timeline, audio, stems, … */
                                        role: string;
                                    }[];
                                    size_bytes: number;
                                } | null;
                                progress: number;
                                /** @description Which provider produced the result (local or a cloud vendor). */
                                provider: string;
                                started_at: string | null;
                                /** @enum {string} */
                                status: "queued" | "running" | "succeeded" | "failed" | "canceled";
                                /** @description music_video, song, edit, media.process, account.export, … */
                                type: string;
                            }[];
                            has_more: boolean;
                            /** @enum {string} */
                            object: "list";
                        };
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                404: components["responses"]["NotFound"];
                429: components["responses"]["RateLimited"];
                default: components["responses"]["Error"];
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/jobs/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Retrieve a job */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A render or processing job. */
                200: {
                    headers: {
                        RateLimit: components["headers"]["RateLimit"];
                        "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                        "Request-Id": components["headers"]["Request-Id"];
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "object": "job",
                         *       "output": {
                         *         "files": [
                         *           {
                         *             "file": "file_1j5hottxcHeyx0OTYIgGRB",
                         *             "role": "video"
                         *           },
                         *           {
                         *             "file": "file_JtjFNfgFxPywwQVVt2T3iq",
                         *             "role": "poster"
                         *           },
                         *           {
                         *             "file": "file_0FbLFmCrF5UHXCjsYUthcP",
                         *             "role": "timeline"
                         *           }
                         *         ],
                         *         "size_bytes": 24079741
                         *       },
                         *       "error": null,
                         *       "livemode": true,
                         *       "id": "job_IqIcHQzkeGoHW3AxJpCF4Q",
                         *       "type": "music_video",
                         *       "status": "succeeded",
                         *       "progress": 1,
                         *       "created_at": "2025-06-14T14:02:07.590Z",
                         *       "started_at": "2025-06-14T14:02:07.594Z",
                         *       "finished_at": "2025-06-14T14:02:41.242Z",
                         *       "input": {
                         *         "audio_file": "file_p4mFcIMGWWvUnclP18mA2G",
                         *         "image_files": [
                         *           "file_FDfny5sRa1OGgS0bkw8y5W",
                         *           "file_8uQbZ1xKc0TnRw3sLp7VhY",
                         *           "file_Jd4mQe9sTf2WvXa6Bc1NgK"
                         *         ],
                         *         "video_files": [
                         *           "file_Wq7eR2tY5uI8oP1aS4dF6g"
                         *         ],
                         *         "style": "cinematic",
                         *         "aspect_ratio": "16:9",
                         *         "resolution": "1080p",
                         *         "lyrics": {
                         *           "lrc": "[00:12.40]We ran through the summer nights\n[00:16.85]Chasing every neon light"
                         *         },
                         *         "title": "Summer Nights"
                         *       },
                         *       "credits_charged": 10,
                         *       "provider": "local",
                         *       "attempts": 1
                         *     }
                         */
                        "application/json": {
                            attempts: number;
                            created_at: string;
                            credits_charged: number;
                            error: {
                                code: string;
                                message: string;
                            } | null;
                            finished_at: string | null;
                            /** @description job_… */
                            id: string;
                            /** @description The parameters the job was created with. */
                            input: {
                                [key: string]: unknown;
                            };
                            livemode: boolean;
                            /** @enum {string} */
                            object: "job";
                            output: {
                                files: {
                                    /** @description file_… */
                                    file: string;
                                    /** @description video, poster, timeline, audio, stems, … */
                                    role: string;
                                }[];
                                size_bytes: number;
                            } | null;
                            progress: number;
                            /** @description Which provider produced the result (local or a cloud vendor). */
                            provider: string;
                            started_at: string | null;
                            /** @enum {string} */
                            status: "queued" | "running" | "succeeded" | "failed" | "canceled";
                            /** @description music_video, song, edit, media.process, account.export, … */
                            type: string;
                        };
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                404: components["responses"]["NotFound"];
                429: components["responses"]["RateLimited"];
                default: components["responses"]["Error"];
            };
        };
        put?: never;
        post?: never;
        /**
         * Delete a job
         * @description Cancels it if active, then deletes its outputs and the input files that belong only to it.
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Deleted */
                204: {
                    headers: {
                        RateLimit: components["headers"]["RateLimit"];
                        "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                        "Request-Id": components["headers"]["Request-Id"];
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                404: components["responses"]["NotFound"];
                429: components["responses"]["RateLimited"];
                default: components["responses"]["Error"];
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/jobs/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Cancel a job
         * @description A queued job is canceled at once; a running one is stopped (its processes killed). Credits are refunded.
         */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /**
                     * @description Makes a retry safe: the first response to this key (status and body) is kept for 24 h and returned again, with `Idempotent-Replayed: true`, to a retry of the same request. Scoped to the API key (or the session’s user); ignored on requests without credentials. The same key with a different request → 422 `idempotency_key_reused`; while the first request is still running → 409 `idempotency_key_in_use`. A file upload (multipart/form-data) is compared by its content — field names, file names, part types and bytes, not the boundary — so a re-encoded retry of the same form matches. Validation failures (400, 413, 415, 422) and 429s are not kept, so the corrected request can reuse the key. 1 to 255 characters (400 `invalid_idempotency_key` otherwise); a UUID is a good choice.
                     * @example 5d3c1f0e-8a6b-4c2e-9f1d-7b2a4e6c8d10
                     */
                    "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
                };
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A render or processing job. */
                200: {
                    headers: {
                        "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                        RateLimit: components["headers"]["RateLimit"];
                        "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                        "Request-Id": components["headers"]["Request-Id"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            attempts: number;
                            created_at: string;
                            credits_charged: number;
                            error: {
                                code: string;
                                message: string;
                            } | null;
                            finished_at: string | null;
                            /** @description job_… */
                            id: string;
                            /** @description The parameters the job was created with. */
                            input: {
                                [key: string]: unknown;
                            };
                            livemode: boolean;
                            /** @enum {string} */
                            object: "job";
                            output: {
                                files: {
                                    /** @description file_… */
                                    file: string;
                                    /** @description video, poster, timeline, audio, stems, … */
                                    role: string;
                                }[];
                                size_bytes: number;
                            } | null;
                            progress: number;
                            /** @description Which provider produced the result (local or a cloud vendor). */
                            provider: string;
                            started_at: string | null;
                            /** @enum {string} */
                            status: "queued" | "running" | "succeeded" | "failed" | "canceled";
                            /** @description music_video, song, edit, media.process, account.export, … */
                            type: string;
                        };
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                404: components["responses"]["NotFound"];
                409: components["responses"]["IdempotencyKeyInUse"];
                422: components["responses"]["IdempotencyKeyReused"];
                429: components["responses"]["RateLimited"];
                default: components["responses"]["Error"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/jobs/{id}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Follow a job (Server-Sent Events)
         * @description `text/event-stream`: `progress` events `{"progress":0.42,"status":"running"}` on every change, then one of `succeeded`, `failed`, `canceled` whose data is the job; the stream then ends. A finished job gets its final event at once.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description An event stream */
                200: {
                    headers: {
                        RateLimit: components["headers"]["RateLimit"];
                        "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                        "Request-Id": components["headers"]["Request-Id"];
                        [name: string]: unknown;
                    };
                    content: {
                        "text/event-stream": string;
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                404: components["responses"]["NotFound"];
                429: components["responses"]["RateLimited"];
                default: components["responses"]["Error"];
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/jobs/{id}/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Retry a failed or canceled job
         * @description Queues the job again from scratch and charges its price again.
         */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /**
                     * @description Makes a retry safe: the first response to this key (status and body) is kept for 24 h and returned again, with `Idempotent-Replayed: true`, to a retry of the same request. Scoped to the API key (or the session’s user); ignored on requests without credentials. The same key with a different request → 422 `idempotency_key_reused`; while the first request is still running → 409 `idempotency_key_in_use`. A file upload (multipart/form-data) is compared by its content — field names, file names, part types and bytes, not the boundary — so a re-encoded retry of the same form matches. Validation failures (400, 413, 415, 422) and 429s are not kept, so the corrected request can reuse the key. 1 to 255 characters (400 `invalid_idempotency_key` otherwise); a UUID is a good choice.
                     * @example 5d3c1f0e-8a6b-4c2e-9f1d-7b2a4e6c8d10
                     */
                    "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
                };
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A render or processing job. */
                200: {
                    headers: {
                        "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                        RateLimit: components["headers"]["RateLimit"];
                        "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                        "Request-Id": components["headers"]["Request-Id"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            attempts: number;
                            created_at: string;
                            credits_charged: number;
                            error: {
                                code: string;
                                message: string;
                            } | null;
                            finished_at: string | null;
                            /** @description job_… */
                            id: string;
                            /** @description The parameters the job was created with. */
                            input: {
                                [key: string]: unknown;
                            };
                            livemode: boolean;
                            /** @enum {string} */
                            object: "job";
                            output: {
                                files: {
                                    /** @description file_… */
                                    file: string;
                                    /** @description video, poster, timeline, audio, stems, … */
                                    role: string;
                                }[];
                                size_bytes: number;
                            } | null;
                            progress: number;
                            /** @description Which provider produced the result (local or a cloud vendor). */
                            provider: string;
                            started_at: string | null;
                            /** @enum {string} */
                            status: "queued" | "running" | "succeeded" | "failed" | "canceled";
                            /** @description music_video, song, edit, media.process, account.export, … */
                            type: string;
                        };
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                404: components["responses"]["NotFound"];
                409: components["responses"]["IdempotencyKeyInUse"];
                422: components["responses"]["IdempotencyKeyReused"];
                429: components["responses"]["RateLimited"];
                default: components["responses"]["Error"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/lyrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Write lyrics from a theme
         * @description Returns tagged lyrics ([Verse], [Chorus], [Bridge]) for a theme, genre and mood. Written by an LLM when the server has an Anthropic, OpenAI or Gemini key, otherwise by the local rhyme-and-template writer; `provider` says which. A failing LLM answers 502 `lyrics_provider_failed`.
         */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /**
                     * @description Makes a retry safe: the first response to this key (status and body) is kept for 24 h and returned again, with `Idempotent-Replayed: true`, to a retry of the same request. Scoped to the API key (or the session’s user); ignored on requests without credentials. The same key with a different request → 422 `idempotency_key_reused`; while the first request is still running → 409 `idempotency_key_in_use`. A file upload (multipart/form-data) is compared by its content — field names, file names, part types and bytes, not the boundary — so a re-encoded retry of the same form matches. Validation failures (400, 413, 415, 422) and 429s are not kept, so the corrected request can reuse the key. 1 to 255 characters (400 `invalid_idempotency_key` otherwise); a UUID is a good choice.
                     * @example 5d3c1f0e-8a6b-4c2e-9f1d-7b2a4e6c8d10
                     */
                    "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    /**
                     * @example {
                     *       "theme": "driving home at dawn",
                     *       "genre": "edm",
                     *       "mood": "energetic"
                     *     }
                     */
                    "application/json": {
                        /** @enum {string} */
                        genre: "pop" | "rock" | "hip-hop" | "edm" | "lofi" | "ballad" | "country" | "jazz";
                        /** @enum {string} */
                        mood: "happy" | "sad" | "energetic" | "calm" | "romantic" | "dark" | "epic";
                        seed?: number;
                        theme: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                        RateLimit: components["headers"]["RateLimit"];
                        "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                        "Request-Id": components["headers"]["Request-Id"];
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "object": "lyrics",
                         *       "text": "[Verse]\nHeadlights on the empty road\nRadio low, the city glows\n[Chorus]\nWe are driving home at dawn\nHolding on till the night is gone",
                         *       "provider": "local-template"
                         *     }
                         */
                        "application/json": {
                            /** @enum {string} */
                            object: "lyrics";
                            provider: string;
                            text: string;
                        };
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                404: components["responses"]["NotFound"];
                409: components["responses"]["IdempotencyKeyInUse"];
                422: components["responses"]["IdempotencyKeyReused"];
                429: components["responses"]["RateLimited"];
                default: components["responses"]["Error"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/music_videos": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create a music video
         * @description Queues a `music_video` job: the song is analysed (tempo, beats, sections), the photos and clips are cut on the beat in the chosen style, and the job outputs the `video` (H.264/AAC MP4, 30 fps), a `poster` (JPEG) and the `timeline` (JSON). Input files must be your own uploads of the right kind: 404 `resource_missing` for unknown files, 422 `file_kind_mismatch` for a file of another kind. Test-mode keys (`sk_test_`) are not charged and get 480p output with a TEST watermark.
         */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /**
                     * @description Makes a retry safe: the first response to this key (status and body) is kept for 24 h and returned again, with `Idempotent-Replayed: true`, to a retry of the same request. Scoped to the API key (or the session’s user); ignored on requests without credentials. The same key with a different request → 422 `idempotency_key_reused`; while the first request is still running → 409 `idempotency_key_in_use`. A file upload (multipart/form-data) is compared by its content — field names, file names, part types and bytes, not the boundary — so a re-encoded retry of the same form matches. Validation failures (400, 413, 415, 422) and 429s are not kept, so the corrected request can reuse the key. 1 to 255 characters (400 `invalid_idempotency_key` otherwise); a UUID is a good choice.
                     * @example 5d3c1f0e-8a6b-4c2e-9f1d-7b2a4e6c8d10
                     */
                    "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    /**
                     * @example {
                     *       "audio_file": "file_p4mFcIMGWWvUnclP18mA2G",
                     *       "image_files": [
                     *         "file_FDfny5sRa1OGgS0bkw8y5W",
                     *         "file_8uQbZ1xKc0TnRw3sLp7VhY",
                     *         "file_Jd4mQe9sTf2WvXa6Bc1NgK"
                     *       ],
                     *       "video_files": [
                     *         "file_Wq7eR2tY5uI8oP1aS4dF6g"
                     *       ],
                     *       "style": "cinematic",
                     *       "aspect_ratio": "16:9",
                     *       "resolution": "1080p",
                     *       "lyrics": {
                     *         "lrc": "[00:12.40]We ran through the summer nights\n[00:16.85]Chasing every neon light"
                     *       },
                     *       "title": "Summer Nights"
                     *     }
                     */
                    "application/json": {
                        /**
                         * @default 16:9
                         * @enum {string}
                         */
                        aspect_ratio?: "16:9" | "9:16" | "1:1";
                        /** @description An uploaded audio file (kind `audio`): the song. */
                        audio_file: string;
                        /** @description Uploaded images (kind `image`), 1 to 200, shown in this order (see `photo_order`). */
                        image_files: string[];
                        /** @description Captions: exactly one of `text`, `lrc`, `srt`. */
                        lyrics?: {
                            /** @description LRC with [mm:ss.xx] timestamps (exact timing). */
                            lrc?: string;
                            /** @description SubRip subtitles (exact timing). */
                            srt?: string;
                            /** @description Plain lyrics, one line per line: spread over the vocal sections (approximate timing). */
                            text?: string;
                        };
                        /**
                         * @description `user` (default): photos in the order of `image_files`, repeated in that order if the song is long. `auto`: a shuffle (seeded per job, so a retry plans the same video) that never shows one photo twice in a row.
                         * @enum {string}
                         */
                        photo_order?: "user" | "auto";
                        /**
                         * @description Test-mode (`sk_test_`) jobs are capped at 480p and watermarked.
                         * @default 720p
                         * @enum {string}
                         */
                        resolution?: "480p" | "720p" | "1080p";
                        /**
                         * @description Style preset (GET /api/v1/music_videos/styles). Default `pulse`.
                         * @enum {string}
                         */
                        style?: "pulse" | "cinematic" | "lyric" | "retro_vhs" | "minimal" | "neon_visualizer";
                        /** @description Shown on a title card (and end card) by styles that have them. */
                        title?: string;
                        /** @description Uploaded video clips (kind `video`), trimmed to their shots, after the images. */
                        video_files?: string[];
                    };
                };
            };
            responses: {
                /** @description A render or processing job. */
                202: {
                    headers: {
                        "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                        RateLimit: components["headers"]["RateLimit"];
                        "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                        "Request-Id": components["headers"]["Request-Id"];
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "object": "job",
                         *       "output": null,
                         *       "error": null,
                         *       "livemode": true,
                         *       "id": "job_IqIcHQzkeGoHW3AxJpCF4Q",
                         *       "type": "music_video",
                         *       "status": "queued",
                         *       "progress": 0,
                         *       "created_at": "2025-06-14T14:02:07.590Z",
                         *       "started_at": null,
                         *       "finished_at": null,
                         *       "input": {
                         *         "audio_file": "file_p4mFcIMGWWvUnclP18mA2G",
                         *         "image_files": [
                         *           "file_FDfny5sRa1OGgS0bkw8y5W",
                         *           "file_8uQbZ1xKc0TnRw3sLp7VhY",
                         *           "file_Jd4mQe9sTf2WvXa6Bc1NgK"
                         *         ],
                         *         "video_files": [
                         *           "file_Wq7eR2tY5uI8oP1aS4dF6g"
                         *         ],
                         *         "style": "cinematic",
                         *         "aspect_ratio": "16:9",
                         *         "resolution": "1080p",
                         *         "lyrics": {
                         *           "lrc": "[00:12.40]We ran through the summer nights\n[00:16.85]Chasing every neon light"
                         *         },
                         *         "title": "Summer Nights"
                         *       },
                         *       "credits_charged": 10,
                         *       "provider": "local",
                         *       "attempts": 0
                         *     }
                         */
                        "application/json": {
                            attempts: number;
                            created_at: string;
                            credits_charged: number;
                            error: {
                                code: string;
                                message: string;
                            } | null;
                            finished_at: string | null;
                            /** @description job_… */
                            id: string;
                            /** @description The parameters the job was created with. */
                            input: {
                                [key: string]: unknown;
                            };
                            livemode: boolean;
                            /** @enum {string} */
                            object: "job";
                            output: {
                                files: {
                                    /** @description file_… */
                                    file: string;
                                    /** @description video, poster, timeline, audio, stems, … */
                                    role: string;
                                }[];
                                size_bytes: number;
                            } | null;
                            progress: number;
                            /** @description Which provider produced the result (local or a cloud vendor). */
                            provider: string;
                            started_at: string | null;
                            /** @enum {string} */
                            status: "queued" | "running" | "succeeded" | "failed" | "canceled";
                            /** @description music_video, song, edit, media.process, account.export, … */
                            type: string;
                        };
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                404: components["responses"]["NotFound"];
                409: components["responses"]["IdempotencyKeyInUse"];
                422: components["responses"]["IdempotencyKeyReused"];
                429: components["responses"]["RateLimited"];
                default: components["responses"]["Error"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/music_videos/preview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Preview a photo in a style
         * @description Renders one of your photos as a music video in `style` and `aspect_ratio` would show it (cover crop, colour look, vignette, letterbox, grain, VHS) as a 320 px wide `image/jpeg`, for style pickers. Beat and audio-reactive layers are not shown. Nothing is stored or charged. 404 `resource_missing` for unknown files, 422 `file_kind_mismatch` for a file that is not an image.
         */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /**
                     * @description Makes a retry safe: the first response to this key (status and body) is kept for 24 h and returned again, with `Idempotent-Replayed: true`, to a retry of the same request. Scoped to the API key (or the session’s user); ignored on requests without credentials. The same key with a different request → 422 `idempotency_key_reused`; while the first request is still running → 409 `idempotency_key_in_use`. A file upload (multipart/form-data) is compared by its content — field names, file names, part types and bytes, not the boundary — so a re-encoded retry of the same form matches. Validation failures (400, 413, 415, 422) and 429s are not kept, so the corrected request can reuse the key. 1 to 255 characters (400 `invalid_idempotency_key` otherwise); a UUID is a good choice.
                     * @example 5d3c1f0e-8a6b-4c2e-9f1d-7b2a4e6c8d10
                     */
                    "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    /**
                     * @example {
                     *       "image_file": "file_FDfny5sRa1OGgS0bkw8y5W",
                     *       "style": "retro_vhs",
                     *       "aspect_ratio": "9:16"
                     *     }
                     */
                    "application/json": {
                        /**
                         * @default 16:9
                         * @enum {string}
                         */
                        aspect_ratio?: "16:9" | "9:16" | "1:1";
                        /** @description An uploaded image (kind `image`). */
                        image_file: string;
                        /**
                         * @description Style preset (GET /api/v1/music_videos/styles).
                         * @default pulse
                         * @enum {string}
                         */
                        style?: "pulse" | "cinematic" | "lyric" | "retro_vhs" | "minimal" | "neon_visualizer";
                    };
                };
            };
            responses: {
                /** @description The preview frame as a 320 px wide JPEG. */
                200: {
                    headers: {
                        "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                        RateLimit: components["headers"]["RateLimit"];
                        "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                        "Request-Id": components["headers"]["Request-Id"];
                        [name: string]: unknown;
                    };
                    content: {
                        "image/jpeg": string;
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                404: components["responses"]["NotFound"];
                409: components["responses"]["IdempotencyKeyInUse"];
                422: components["responses"]["IdempotencyKeyReused"];
                429: components["responses"]["RateLimited"];
                default: components["responses"]["Error"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/music_videos/styles": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List music-video styles
         * @description The style presets accepted by `style` in POST /api/v1/music_videos.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        RateLimit: components["headers"]["RateLimit"];
                        "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                        "Request-Id": components["headers"]["Request-Id"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                description: string;
                                id: string;
                                name: string;
                            }[];
                            has_more: boolean;
                            /** @enum {string} */
                            object: "list";
                        };
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                404: components["responses"]["NotFound"];
                429: components["responses"]["RateLimited"];
                default: components["responses"]["Error"];
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/privacy/config": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * What this deployment does with data
         * @description Public. Enabled integrations and providers, what each module stores and the retention windows.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description What this deployment runs with, for the privacy page */
                200: {
                    headers: {
                        RateLimit: components["headers"]["RateLimit"];
                        "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                        "Request-Id": components["headers"]["Request-Id"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                deleted_with_account: boolean;
                                description: string;
                                exported: boolean;
                                module: string;
                                table: string;
                            }[];
                            integrations: {
                                /** @enum {string} */
                                analytics: "first_party";
                                /** @enum {string} */
                                database: "sqlite" | "postgres";
                                /** @enum {string} */
                                email: "local_mailbox" | "smtp" | "resend";
                                /** @enum {string} */
                                file_storage: "local" | "s3";
                                ga4_conversions: boolean;
                                /** @enum {string} */
                                queue: "embedded" | "redis";
                            };
                            job_providers: {
                                job_type: string;
                                provider: string;
                            }[];
                            /** @enum {string} */
                            object: "privacy_config";
                            retention: {
                                days: number;
                                description: string;
                                module: string;
                                table: string;
                            }[];
                        };
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                404: components["responses"]["NotFound"];
                429: components["responses"]["RateLimited"];
                default: components["responses"]["Error"];
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/privacy/consent": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Consent of an anonymous browser */
        get: {
            parameters: {
                query: {
                    device_id: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Consent state */
                200: {
                    headers: {
                        RateLimit: components["headers"]["RateLimit"];
                        "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                        "Request-Id": components["headers"]["Request-Id"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description null: never asked (the cookie banner shows) */
                            analytics: boolean | null;
                            /** @enum {string} */
                            object: "privacy_consent";
                            /** @description Objection to legitimate-interest processing (hashed-email conversion sharing) */
                            objection: boolean;
                            source: string | null;
                            updated_at: string | null;
                        };
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                404: components["responses"]["NotFound"];
                429: components["responses"]["RateLimited"];
                default: components["responses"]["Error"];
            };
        };
        /**
         * Record the cookie-banner choice of an anonymous browser
         * @description For visitors who are not signed in; signed-in users use PUT /account/privacy.
         */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        analytics: boolean;
                        device_id: string;
                    };
                };
            };
            responses: {
                /** @description Consent state */
                200: {
                    headers: {
                        RateLimit: components["headers"]["RateLimit"];
                        "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                        "Request-Id": components["headers"]["Request-Id"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description null: never asked (the cookie banner shows) */
                            analytics: boolean | null;
                            /** @enum {string} */
                            object: "privacy_consent";
                            /** @description Objection to legitimate-interest processing (hashed-email conversion sharing) */
                            objection: boolean;
                            source: string | null;
                            updated_at: string | null;
                        };
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                404: components["responses"]["NotFound"];
                429: components["responses"]["RateLimited"];
                default: components["responses"]["Error"];
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/request_logs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List API request logs
         * @description Requests made with this account's keys, newest first. Filter by method, status or status class, route (exact or prefix), key and time range. Kept 90 days. Scope `logs:read`.
         */
        get: {
            parameters: {
                query?: {
                    /** @description key_… */
                    api_key?: string;
                    /** @description Only requests made at or after this time (ISO-8601) */
                    created_gte?: string;
                    /** @description Only requests made before this time (ISO-8601) */
                    created_lt?: string;
                    ending_before?: string;
                    limit?: number;
                    /** @description GET, POST, DELETE, … (any case) */
                    method?: string;
                    /** @description Exact route, e.g. /api/v1/jobs/:id */
                    path?: string;
                    /** @description Routes starting with this, e.g. /api/v1/jobs */
                    path_prefix?: string;
                    starting_after?: string;
                    /** @description Exact status code, e.g. 404 */
                    status?: number;
                    /** @description A class of status codes: 2xx, 4xx, 5xx, … */
                    status_class?: "1xx" | "2xx" | "3xx" | "4xx" | "5xx";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        RateLimit: components["headers"]["RateLimit"];
                        "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                        "Request-Id": components["headers"]["Request-Id"];
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "object": "list",
                         *       "data": [
                         *         {
                         *           "object": "request_log",
                         *           "id": "req_0VcOlJGH0AJoU2000008",
                         *           "request_id": "req_0VcOlJGH0AJoU2000008",
                         *           "api_key": "key_VWfuzfXDV0uOhiiCXD3I4d",
                         *           "method": "GET",
                         *           "path": "/api/v1/jobs/:id",
                         *           "status": 200,
                         *           "latency_ms": 3,
                         *           "credits_charged": 0,
                         *           "ip_hash": "a0961939996244c6bb2accf66a4569076accd7e7a8e26bb98053d6d6cf5d93bb",
                         *           "livemode": true,
                         *           "idempotent_replayed": false,
                         *           "created_at": "2025-06-14T14:02:41.248Z"
                         *         },
                         *         {
                         *           "object": "request_log",
                         *           "id": "req_0VcOlGUL0AJoU2000007",
                         *           "request_id": "req_0VcOlGUL0AJoU2000007",
                         *           "api_key": "key_VWfuzfXDV0uOhiiCXD3I4d",
                         *           "method": "POST",
                         *           "path": "/api/v1/music_videos",
                         *           "status": 202,
                         *           "latency_ms": 14,
                         *           "credits_charged": 10,
                         *           "ip_hash": "a0961939996244c6bb2accf66a4569076accd7e7a8e26bb98053d6d6cf5d93bb",
                         *           "livemode": true,
                         *           "idempotent_replayed": false,
                         *           "created_at": "2025-06-14T14:02:07.604Z"
                         *         }
                         *       ],
                         *       "has_more": true
                         *     }
                         */
                        "application/json": {
                            data: {
                                /** @description key_… */
                                api_key: string;
                                created_at: string;
                                credits_charged: number;
                                /** @description The request id (req_…), as in the Request-Id header. */
                                id: string;
                                idempotent_replayed: boolean;
                                /** @description HMAC-SHA256 of the client IP with a per-deployment secret (never the IP). */
                                ip_hash: string;
                                latency_ms: number;
                                livemode: boolean;
                                method: string;
                                /** @enum {string} */
                                object: "request_log";
                                /** @description The route, e.g. /api/v1/jobs/:id */
                                path: string;
                                request_id: string;
                                status: number;
                            }[];
                            has_more: boolean;
                            /** @enum {string} */
                            object: "list";
                        };
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                404: components["responses"]["NotFound"];
                429: components["responses"]["RateLimited"];
                default: components["responses"]["Error"];
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/songs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create a song
         * @description Queues a `song` job: lyrics (or a theme), genre, mood and duration → a finished, mastered song (about −14 LUFS). The local composer outputs `audio` (MP3 and WAV), `stems` (one file per instrument group and the vocal), `midi` and `lyrics_lrc` (timed lyrics for music-video captions); cloud providers (MiniMax, Replicate YuE; chosen by the server configuration) output `audio` only. Invalid requests answer 422 with one `errors[]` entry per parameter. Test-mode keys (`sk_test_`) are not charged.
         */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /**
                     * @description Makes a retry safe: the first response to this key (status and body) is kept for 24 h and returned again, with `Idempotent-Replayed: true`, to a retry of the same request. Scoped to the API key (or the session’s user); ignored on requests without credentials. The same key with a different request → 422 `idempotency_key_reused`; while the first request is still running → 409 `idempotency_key_in_use`. A file upload (multipart/form-data) is compared by its content — field names, file names, part types and bytes, not the boundary — so a re-encoded retry of the same form matches. Validation failures (400, 413, 415, 422) and 429s are not kept, so the corrected request can reuse the key. 1 to 255 characters (400 `invalid_idempotency_key` otherwise); a UUID is a good choice.
                     * @example 5d3c1f0e-8a6b-4c2e-9f1d-7b2a4e6c8d10
                     */
                    "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    /**
                     * @example {
                     *       "lyrics": "[Verse]\nHeadlights on the empty road\nRadio low, the city glows\n[Chorus]\nWe are driving home at dawn",
                     *       "genre": "edm",
                     *       "mood": "energetic",
                     *       "duration_seconds": 90,
                     *       "tempo_bpm": 124,
                     *       "key": "A minor",
                     *       "vocals": "sung",
                     *       "title": "Home at Dawn"
                     *     }
                     */
                    "application/json": {
                        /** @description Length of the song, 15–300 s. */
                        duration_seconds: number;
                        /**
                         * @description One of pop, rock, hip-hop, edm, lofi, ballad, country, jazz (GET /api/v1/songs/options).
                         * @enum {string}
                         */
                        genre: "pop" | "rock" | "hip-hop" | "edm" | "lofi" | "ballad" | "country" | "jazz";
                        /** @description e.g. "C", "F# minor", "Bbm", "A major". Default: chosen from the mood. */
                        key?: string;
                        /** @description Lyrics, optionally tagged with [Verse], [Chorus], [Bridge], [Intro], [Outro] lines. */
                        lyrics?: string;
                        /**
                         * @description One of happy, sad, energetic, calm, romantic, dark, epic.
                         * @enum {string}
                         */
                        mood: "happy" | "sad" | "energetic" | "calm" | "romantic" | "dark" | "epic";
                        /** @description Same request + same seed → the same song (local provider). */
                        seed?: number;
                        /** @description Beats per minute (40–220). Default: chosen from the genre and mood. */
                        tempo_bpm?: number;
                        /** @description What the song is about. Without lyrics, lyrics are written from it (locally). */
                        theme?: string;
                        /** @description Used in the LRC header and download names. */
                        title?: string;
                        /**
                         * @description `sung`, `spoken` or `none`. Default: `sung` with lyrics or a theme, else `none`.
                         * @enum {string}
                         */
                        vocals?: "sung" | "spoken" | "none";
                    };
                };
            };
            responses: {
                /** @description A render or processing job. */
                202: {
                    headers: {
                        "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                        RateLimit: components["headers"]["RateLimit"];
                        "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                        "Request-Id": components["headers"]["Request-Id"];
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "object": "job",
                         *       "output": null,
                         *       "error": null,
                         *       "livemode": true,
                         *       "id": "job_Bv8pm2G3hdtKo502DY5BoA",
                         *       "type": "song",
                         *       "status": "queued",
                         *       "progress": 0,
                         *       "created_at": "2025-06-14T14:05:34.509Z",
                         *       "started_at": null,
                         *       "finished_at": null,
                         *       "input": {
                         *         "lyrics": "[Verse]\nHeadlights on the empty road\nRadio low, the city glows\n[Chorus]\nWe are driving home at dawn",
                         *         "genre": "edm",
                         *         "mood": "energetic",
                         *         "duration_seconds": 90,
                         *         "tempo_bpm": 124,
                         *         "key": "A minor",
                         *         "vocals": "sung",
                         *         "title": "Home at Dawn",
                         *         "seed": 1044386376
                         *       },
                         *       "credits_charged": 10,
                         *       "provider": "local-composer (algorithmic)",
                         *       "attempts": 0
                         *     }
                         */
                        "application/json": {
                            attempts: number;
                            created_at: string;
                            credits_charged: number;
                            error: {
                                code: string;
                                message: string;
                            } | null;
                            finished_at: string | null;
                            /** @description job_… */
                            id: string;
                            /** @description The parameters the job was created with. */
                            input: {
                                [key: string]: unknown;
                            };
                            livemode: boolean;
                            /** @enum {string} */
                            object: "job";
                            output: {
                                files: {
                                    /** @description file_… */
                                    file: string;
                                    /** @description video, poster, timeline, audio, stems, … */
                                    role: string;
                                }[];
                                size_bytes: number;
                            } | null;
                            progress: number;
                            /** @description Which provider produced the result (local or a cloud vendor). */
                            provider: string;
                            started_at: string | null;
                            /** @enum {string} */
                            status: "queued" | "running" | "succeeded" | "failed" | "canceled";
                            /** @description music_video, song, edit, media.process, account.export, … */
                            type: string;
                        };
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                404: components["responses"]["NotFound"];
                409: components["responses"]["IdempotencyKeyInUse"];
                422: components["responses"]["IdempotencyKeyReused"];
                429: components["responses"]["RateLimited"];
                default: components["responses"]["Error"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/songs/options": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List song options
         * @description Genres (with their default tempo), moods, vocal styles and limits accepted by POST /api/v1/songs.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        RateLimit: components["headers"]["RateLimit"];
                        "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                        "Request-Id": components["headers"]["Request-Id"];
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            duration_seconds: {
                                default: number;
                                max: number;
                                min: number;
                            };
                            genres: {
                                default_tempo_bpm: number;
                                id: string;
                            }[];
                            /** @description Who writes lyrics for POST /api/v1/lyrics. */
                            lyrics_provider: string;
                            moods: {
                                id: string;
                            }[];
                            /** @enum {string} */
                            object: "song_options";
                            /** @description The provider new songs are made with. */
                            provider: string;
                            tempo_bpm: {
                                max: number;
                                min: number;
                            };
                            vocal_styles: ("sung" | "spoken" | "none")[];
                        };
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                404: components["responses"]["NotFound"];
                429: components["responses"]["RateLimited"];
                default: components["responses"]["Error"];
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/uploads": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * tus: create an upload
         * @description tus 1.0 resumable upload (creation, creation-with-upload, termination, expiration). Upload-Length ≤ the upload limit. When finished, call POST /api/v1/files with {"upload_id": "<last path segment of Location>"}.
         */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /**
                     * @description Makes a retry safe: the first response to this key (status and body) is kept for 24 h and returned again, with `Idempotent-Replayed: true`, to a retry of the same request. Scoped to the API key (or the session’s user); ignored on requests without credentials. The same key with a different request → 422 `idempotency_key_reused`; while the first request is still running → 409 `idempotency_key_in_use`. A file upload (multipart/form-data) is compared by its content — field names, file names, part types and bytes, not the boundary — so a re-encoded retry of the same form matches. Validation failures (400, 413, 415, 422) and 429s are not kept, so the corrected request can reuse the key. 1 to 255 characters (400 `invalid_idempotency_key` otherwise); a UUID is a good choice.
                     * @example 5d3c1f0e-8a6b-4c2e-9f1d-7b2a4e6c8d10
                     */
                    "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
                };
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Created: the upload URL is in `Location`, the bytes received so far in `Upload-Offset` */
                201: {
                    headers: {
                        "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                        RateLimit: components["headers"]["RateLimit"];
                        "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                        "Request-Id": components["headers"]["Request-Id"];
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                404: components["responses"]["NotFound"];
                409: components["responses"]["IdempotencyKeyInUse"];
                422: components["responses"]["IdempotencyKeyReused"];
                429: components["responses"]["RateLimited"];
                default: components["responses"]["Error"];
            };
        };
        delete?: never;
        /**
         * tus: capabilities
         * @description tus 1.0 resumable upload (creation, creation-with-upload, termination, expiration). Upload-Length ≤ the upload limit. When finished, call POST /api/v1/files with {"upload_id": "<last path segment of Location>"}.
         */
        options: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        RateLimit: components["headers"]["RateLimit"];
                        "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                        "Request-Id": components["headers"]["Request-Id"];
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                404: components["responses"]["NotFound"];
                429: components["responses"]["RateLimited"];
                default: components["responses"]["Error"];
            };
        };
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/uploads/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * tus: terminate
         * @description tus 1.0 resumable upload (creation, creation-with-upload, termination, expiration). Upload-Length ≤ the upload limit. When finished, call POST /api/v1/files with {"upload_id": "<last path segment of Location>"}.
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        RateLimit: components["headers"]["RateLimit"];
                        "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                        "Request-Id": components["headers"]["Request-Id"];
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                404: components["responses"]["NotFound"];
                429: components["responses"]["RateLimited"];
                default: components["responses"]["Error"];
            };
        };
        /**
         * tus: capabilities
         * @description tus 1.0 resumable upload (creation, creation-with-upload, termination, expiration). Upload-Length ≤ the upload limit. When finished, call POST /api/v1/files with {"upload_id": "<last path segment of Location>"}.
         */
        options: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        RateLimit: components["headers"]["RateLimit"];
                        "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                        "Request-Id": components["headers"]["Request-Id"];
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                404: components["responses"]["NotFound"];
                429: components["responses"]["RateLimited"];
                default: components["responses"]["Error"];
            };
        };
        head?: never;
        /**
         * tus: append bytes
         * @description tus 1.0 resumable upload (creation, creation-with-upload, termination, expiration). Upload-Length ≤ the upload limit. When finished, call POST /api/v1/files with {"upload_id": "<last path segment of Location>"}.
         */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        RateLimit: components["headers"]["RateLimit"];
                        "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                        "Request-Id": components["headers"]["Request-Id"];
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                404: components["responses"]["NotFound"];
                429: components["responses"]["RateLimited"];
                default: components["responses"]["Error"];
            };
        };
        trace?: never;
    };
    "/api/v1/webhook_deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List webhook deliveries
         * @description Events sent to this account's callback URLs with every attempt, newest first. Kept 90 days. Scope `logs:read`.
         */
        get: {
            parameters: {
                query?: {
                    api_key?: string;
                    ending_before?: string;
                    event_type?: string;
                    limit?: number;
                    starting_after?: string;
                    status?: "pending" | "succeeded" | "failed";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        RateLimit: components["headers"]["RateLimit"];
                        "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                        "Request-Id": components["headers"]["Request-Id"];
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "object": "list",
                         *       "data": [
                         *         {
                         *           "object": "webhook_delivery",
                         *           "id": "whdel_bJGsmOusUgT1JjwB2LlD30",
                         *           "event_id": "evt_5QT8BLfzxJRH3NRsRbqQ0y",
                         *           "event_type": "job.succeeded",
                         *           "api_key": "key_VWfuzfXDV0uOhiiCXD3I4d",
                         *           "job": "job_IqIcHQzkeGoHW3AxJpCF4Q",
                         *           "url": "https://hooks.example.com/clipmix",
                         *           "status": "succeeded",
                         *           "attempt_count": 1,
                         *           "max_attempts": 10,
                         *           "next_attempt_at": null,
                         *           "last_status_code": 200,
                         *           "last_error": null,
                         *           "replay_of": null,
                         *           "livemode": true,
                         *           "payload": {
                         *             "id": "evt_5QT8BLfzxJRH3NRsRbqQ0y",
                         *             "type": "job.succeeded",
                         *             "created_at": "2025-06-14T14:02:41.242Z",
                         *             "data": {
                         *               "object": {
                         *                 "object": "job",
                         *                 "output": {
                         *                   "files": [
                         *                     {
                         *                       "file": "file_1j5hottxcHeyx0OTYIgGRB",
                         *                       "role": "video"
                         *                     },
                         *                     {
                         *                       "file": "file_JtjFNfgFxPywwQVVt2T3iq",
                         *                       "role": "poster"
                         *                     },
                         *                     {
                         *                       "file": "file_0FbLFmCrF5UHXCjsYUthcP",
                         *                       "role": "timeline"
                         *                     }
                         *                   ],
                         *                   "size_bytes": 24079741
                         *                 },
                         *                 "error": null,
                         *                 "livemode": true,
                         *                 "id": "job_IqIcHQzkeGoHW3AxJpCF4Q",
                         *                 "type": "music_video",
                         *                 "status": "succeeded",
                         *                 "progress": 1,
                         *                 "created_at": "2025-06-14T14:02:07.590Z",
                         *                 "started_at": "2025-06-14T14:02:07.594Z",
                         *                 "finished_at": "2025-06-14T14:02:41.242Z",
                         *                 "input": {
                         *                   "audio_file": "file_p4mFcIMGWWvUnclP18mA2G",
                         *                   "image_files": [
                         *                     "file_FDfny5sRa1OGgS0bkw8y5W",
                         *                     "file_8uQbZ1xKc0TnRw3sLp7VhY",
                         *                     "file_Jd4mQe9sTf2WvXa6Bc1NgK"
                         *                   ],
                         *                   "video_files": [
                         *                     "file_Wq7eR2tY5uI8oP1aS4dF6g"
                         *                   ],
                         *                   "style": "cinematic",
                         *                   "aspect_ratio": "16:9",
                         *                   "resolution": "1080p",
                         *                   "lyrics": {
                         *                     "lrc": "[00:12.40]We ran through the summer nights\n[00:16.85]Chasing every neon light"
                         *                   },
                         *                   "title": "Summer Nights"
                         *                 },
                         *                 "credits_charged": 10,
                         *                 "provider": "local",
                         *                 "attempts": 1
                         *               }
                         *             }
                         *           },
                         *           "created_at": "2025-06-14T14:02:41.244Z",
                         *           "delivered_at": "2025-06-14T14:02:41.325Z",
                         *           "attempts": [
                         *             {
                         *               "object": "webhook_attempt",
                         *               "attempt": 1,
                         *               "status_code": 200,
                         *               "error": null,
                         *               "response_excerpt": "ok",
                         *               "duration_ms": 77,
                         *               "created_at": "2025-06-14T14:02:41.325Z"
                         *             }
                         *           ]
                         *         }
                         *       ],
                         *       "has_more": false
                         *     }
                         */
                        "application/json": {
                            data: {
                                api_key: string;
                                attempt_count: number;
                                attempts: {
                                    attempt: number;
                                    created_at: string;
                                    duration_ms: number;
                                    error: string | null;
                                    /** @enum {string} */
                                    object: "webhook_attempt";
                                    response_excerpt: string | null;
                                    status_code: number | null;
                                }[];
                                created_at: string;
                                delivered_at: string | null;
                                /** @description evt_… (also the webhook-id header; the same across retries and replays) */
                                event_id: string;
                                /** @description job.succeeded, job.failed, job.canceled or test.ping */
                                event_type: string;
                                /** @description whdel_… */
                                id: string;
                                job: string | null;
                                last_error: string | null;
                                last_status_code: number | null;
                                livemode: boolean;
                                max_attempts: number;
                                next_attempt_at: string | null;
                                /** @enum {string} */
                                object: "webhook_delivery";
                                /** @description The JSON body sent: {id, type, created_at, data:{object}} */
                                payload: unknown;
                                replay_of: string | null;
                                /** @enum {string} */
                                status: "pending" | "succeeded" | "failed";
                                url: string;
                            }[];
                            has_more: boolean;
                            /** @enum {string} */
                            object: "list";
                        };
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                404: components["responses"]["NotFound"];
                429: components["responses"]["RateLimited"];
                default: components["responses"]["Error"];
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/webhook_deliveries/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Retrieve a webhook delivery */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A webhook event sent (or being retried) to a callback URL, with every attempt. */
                200: {
                    headers: {
                        RateLimit: components["headers"]["RateLimit"];
                        "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                        "Request-Id": components["headers"]["Request-Id"];
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "object": "webhook_delivery",
                         *       "id": "whdel_bJGsmOusUgT1JjwB2LlD30",
                         *       "event_id": "evt_5QT8BLfzxJRH3NRsRbqQ0y",
                         *       "event_type": "job.succeeded",
                         *       "api_key": "key_VWfuzfXDV0uOhiiCXD3I4d",
                         *       "job": "job_IqIcHQzkeGoHW3AxJpCF4Q",
                         *       "url": "https://hooks.example.com/clipmix",
                         *       "status": "succeeded",
                         *       "attempt_count": 1,
                         *       "max_attempts": 10,
                         *       "next_attempt_at": null,
                         *       "last_status_code": 200,
                         *       "last_error": null,
                         *       "replay_of": null,
                         *       "livemode": true,
                         *       "payload": {
                         *         "id": "evt_5QT8BLfzxJRH3NRsRbqQ0y",
                         *         "type": "job.succeeded",
                         *         "created_at": "2025-06-14T14:02:41.242Z",
                         *         "data": {
                         *           "object": {
                         *             "object": "job",
                         *             "output": {
                         *               "files": [
                         *                 {
                         *                   "file": "file_1j5hottxcHeyx0OTYIgGRB",
                         *                   "role": "video"
                         *                 },
                         *                 {
                         *                   "file": "file_JtjFNfgFxPywwQVVt2T3iq",
                         *                   "role": "poster"
                         *                 },
                         *                 {
                         *                   "file": "file_0FbLFmCrF5UHXCjsYUthcP",
                         *                   "role": "timeline"
                         *                 }
                         *               ],
                         *               "size_bytes": 24079741
                         *             },
                         *             "error": null,
                         *             "livemode": true,
                         *             "id": "job_IqIcHQzkeGoHW3AxJpCF4Q",
                         *             "type": "music_video",
                         *             "status": "succeeded",
                         *             "progress": 1,
                         *             "created_at": "2025-06-14T14:02:07.590Z",
                         *             "started_at": "2025-06-14T14:02:07.594Z",
                         *             "finished_at": "2025-06-14T14:02:41.242Z",
                         *             "input": {
                         *               "audio_file": "file_p4mFcIMGWWvUnclP18mA2G",
                         *               "image_files": [
                         *                 "file_FDfny5sRa1OGgS0bkw8y5W",
                         *                 "file_8uQbZ1xKc0TnRw3sLp7VhY",
                         *                 "file_Jd4mQe9sTf2WvXa6Bc1NgK"
                         *               ],
                         *               "video_files": [
                         *                 "file_Wq7eR2tY5uI8oP1aS4dF6g"
                         *               ],
                         *               "style": "cinematic",
                         *               "aspect_ratio": "16:9",
                         *               "resolution": "1080p",
                         *               "lyrics": {
                         *                 "lrc": "[00:12.40]We ran through the summer nights\n[00:16.85]Chasing every neon light"
                         *               },
                         *               "title": "Summer Nights"
                         *             },
                         *             "credits_charged": 10,
                         *             "provider": "local",
                         *             "attempts": 1
                         *           }
                         *         }
                         *       },
                         *       "created_at": "2025-06-14T14:02:41.244Z",
                         *       "delivered_at": "2025-06-14T14:02:41.325Z",
                         *       "attempts": [
                         *         {
                         *           "object": "webhook_attempt",
                         *           "attempt": 1,
                         *           "status_code": 200,
                         *           "error": null,
                         *           "response_excerpt": "ok",
                         *           "duration_ms": 77,
                         *           "created_at": "2025-06-14T14:02:41.325Z"
                         *         }
                         *       ]
                         *     }
                         */
                        "application/json": {
                            api_key: string;
                            attempt_count: number;
                            attempts: {
                                attempt: number;
                                created_at: string;
                                duration_ms: number;
                                error: string | null;
                                /** @enum {string} */
                                object: "webhook_attempt";
                                response_excerpt: string | null;
                                status_code: number | null;
                            }[];
                            created_at: string;
                            delivered_at: string | null;
                            /** @description evt_… (also the webhook-id header; the same across retries and replays) */
                            event_id: string;
                            /** @description job.succeeded, job.failed, job.canceled or test.ping */
                            event_type: string;
                            /** @description whdel_… */
                            id: string;
                            job: string | null;
                            last_error: string | null;
                            last_status_code: number | null;
                            livemode: boolean;
                            max_attempts: number;
                            next_attempt_at: string | null;
                            /** @enum {string} */
                            object: "webhook_delivery";
                            /** @description The JSON body sent: {id, type, created_at, data:{object}} */
                            payload: unknown;
                            replay_of: string | null;
                            /** @enum {string} */
                            status: "pending" | "succeeded" | "failed";
                            url: string;
                        };
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                404: components["responses"]["NotFound"];
                429: components["responses"]["RateLimited"];
                default: components["responses"]["Error"];
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/webhook_deliveries/{id}/replay": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Replay a webhook delivery
         * @description Sends the same event (same `webhook-id` and payload, freshly signed) to the key's callback URL now, as a new delivery with one attempt, and returns it. Scope `logs:read`.
         */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /**
                     * @description Makes a retry safe: the first response to this key (status and body) is kept for 24 h and returned again, with `Idempotent-Replayed: true`, to a retry of the same request. Scoped to the API key (or the session’s user); ignored on requests without credentials. The same key with a different request → 422 `idempotency_key_reused`; while the first request is still running → 409 `idempotency_key_in_use`. A file upload (multipart/form-data) is compared by its content — field names, file names, part types and bytes, not the boundary — so a re-encoded retry of the same form matches. Validation failures (400, 413, 415, 422) and 429s are not kept, so the corrected request can reuse the key. 1 to 255 characters (400 `invalid_idempotency_key` otherwise); a UUID is a good choice.
                     * @example 5d3c1f0e-8a6b-4c2e-9f1d-7b2a4e6c8d10
                     */
                    "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
                };
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A webhook event sent (or being retried) to a callback URL, with every attempt. */
                200: {
                    headers: {
                        "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                        RateLimit: components["headers"]["RateLimit"];
                        "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                        "Request-Id": components["headers"]["Request-Id"];
                        [name: string]: unknown;
                    };
                    content: {
                        /**
                         * @example {
                         *       "object": "webhook_delivery",
                         *       "id": "whdel_Rk2Lp9Xw4Zq7Ty1Uv5Mn8B",
                         *       "event_id": "evt_5QT8BLfzxJRH3NRsRbqQ0y",
                         *       "event_type": "job.succeeded",
                         *       "api_key": "key_VWfuzfXDV0uOhiiCXD3I4d",
                         *       "job": "job_IqIcHQzkeGoHW3AxJpCF4Q",
                         *       "url": "https://hooks.example.com/clipmix",
                         *       "status": "succeeded",
                         *       "attempt_count": 1,
                         *       "max_attempts": 1,
                         *       "next_attempt_at": null,
                         *       "last_status_code": 200,
                         *       "last_error": null,
                         *       "replay_of": "whdel_bJGsmOusUgT1JjwB2LlD30",
                         *       "livemode": true,
                         *       "payload": {
                         *         "id": "evt_5QT8BLfzxJRH3NRsRbqQ0y",
                         *         "type": "job.succeeded",
                         *         "created_at": "2025-06-14T14:02:41.242Z",
                         *         "data": {
                         *           "object": {
                         *             "object": "job",
                         *             "output": {
                         *               "files": [
                         *                 {
                         *                   "file": "file_1j5hottxcHeyx0OTYIgGRB",
                         *                   "role": "video"
                         *                 },
                         *                 {
                         *                   "file": "file_JtjFNfgFxPywwQVVt2T3iq",
                         *                   "role": "poster"
                         *                 },
                         *                 {
                         *                   "file": "file_0FbLFmCrF5UHXCjsYUthcP",
                         *                   "role": "timeline"
                         *                 }
                         *               ],
                         *               "size_bytes": 24079741
                         *             },
                         *             "error": null,
                         *             "livemode": true,
                         *             "id": "job_IqIcHQzkeGoHW3AxJpCF4Q",
                         *             "type": "music_video",
                         *             "status": "succeeded",
                         *             "progress": 1,
                         *             "created_at": "2025-06-14T14:02:07.590Z",
                         *             "started_at": "2025-06-14T14:02:07.594Z",
                         *             "finished_at": "2025-06-14T14:02:41.242Z",
                         *             "input": {
                         *               "audio_file": "file_p4mFcIMGWWvUnclP18mA2G",
                         *               "image_files": [
                         *                 "file_FDfny5sRa1OGgS0bkw8y5W",
                         *                 "file_8uQbZ1xKc0TnRw3sLp7VhY",
                         *                 "file_Jd4mQe9sTf2WvXa6Bc1NgK"
                         *               ],
                         *               "video_files": [
                         *                 "file_Wq7eR2tY5uI8oP1aS4dF6g"
                         *               ],
                         *               "style": "cinematic",
                         *               "aspect_ratio": "16:9",
                         *               "resolution": "1080p",
                         *               "lyrics": {
                         *                 "lrc": "[00:12.40]We ran through the summer nights\n[00:16.85]Chasing every neon light"
                         *               },
                         *               "title": "Summer Nights"
                         *             },
                         *             "credits_charged": 10,
                         *             "provider": "local",
                         *             "attempts": 1
                         *           }
                         *         }
                         *       },
                         *       "created_at": "2025-06-14T15:20:03.118Z",
                         *       "delivered_at": "2025-06-14T15:20:03.190Z",
                         *       "attempts": [
                         *         {
                         *           "object": "webhook_attempt",
                         *           "attempt": 1,
                         *           "status_code": 200,
                         *           "error": null,
                         *           "response_excerpt": "ok",
                         *           "duration_ms": 71,
                         *           "created_at": "2025-06-14T15:20:03.190Z"
                         *         }
                         *       ]
                         *     }
                         */
                        "application/json": {
                            api_key: string;
                            attempt_count: number;
                            attempts: {
                                attempt: number;
                                created_at: string;
                                duration_ms: number;
                                error: string | null;
                                /** @enum {string} */
                                object: "webhook_attempt";
                                response_excerpt: string | null;
                                status_code: number | null;
                            }[];
                            created_at: string;
                            delivered_at: string | null;
                            /** @description evt_… (also the webhook-id header; the same across retries and replays) */
                            event_id: string;
                            /** @description job.succeeded, job.failed, job.canceled or test.ping */
                            event_type: string;
                            /** @description whdel_… */
                            id: string;
                            job: string | null;
                            last_error: string | null;
                            last_status_code: number | null;
                            livemode: boolean;
                            max_attempts: number;
                            next_attempt_at: string | null;
                            /** @enum {string} */
                            object: "webhook_delivery";
                            /** @description The JSON body sent: {id, type, created_at, data:{object}} */
                            payload: unknown;
                            replay_of: string | null;
                            /** @enum {string} */
                            status: "pending" | "succeeded" | "failed";
                            url: string;
                        };
                    };
                };
                400: components["responses"]["BadRequest"];
                401: components["responses"]["Unauthorized"];
                403: components["responses"]["Forbidden"];
                404: components["responses"]["NotFound"];
                409: components["responses"]["IdempotencyKeyInUse"];
                422: components["responses"]["IdempotencyKeyReused"];
                429: components["responses"]["RateLimited"];
                default: components["responses"]["Error"];
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** @description RFC 9457 problem details. `detail` is safe to show to users; quote `request_id` when reporting. */
        Problem: {
            /** @example invalid_request */
            code: string;
            /** @example The request body is invalid: style: Invalid option */
            detail: string;
            errors?: {
                message: string;
                param: string;
            }[];
            /** @example req_3kTqP0cW1xYzAbCdEfGh */
            request_id: string;
            /** @example 400 */
            status: number;
            /** @example Bad Request */
            title: string;
            /**
             * Format: uri
             * @example https://docs.clipmix.dev/errors/invalid_request
             */
            type: string;
        };
    };
    responses: {
        /** @description Invalid request (problem+json, code e.g. `invalid_request`, `invalid_json`; on POST also `invalid_idempotency_key`) */
        BadRequest: {
            headers: {
                RateLimit: components["headers"]["RateLimit"];
                "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                "Request-Id": components["headers"]["Request-Id"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description Any other error, as problem+json */
        Error: {
            headers: {
                RateLimit: components["headers"]["RateLimit"];
                "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                "Request-Id": components["headers"]["Request-Id"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description Authenticated, but not allowed (scope, CSRF, session required) */
        Forbidden: {
            headers: {
                RateLimit: components["headers"]["RateLimit"];
                "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                "Request-Id": components["headers"]["Request-Id"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description Conflict: `idempotency_key_in_use` — a request with this Idempotency-Key is still running; retry after it finishes to get its response */
        IdempotencyKeyInUse: {
            headers: {
                RateLimit: components["headers"]["RateLimit"];
                "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                "Request-Id": components["headers"]["Request-Id"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description Unprocessable: `idempotency_key_reused` — this Idempotency-Key was already used with a different request (method, path or body); operations that check their input beyond its shape also answer 422 with their own code (see the description) */
        IdempotencyKeyReused: {
            headers: {
                RateLimit: components["headers"]["RateLimit"];
                "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                "Request-Id": components["headers"]["Request-Id"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description No such resource (also for resources of other accounts) */
        NotFound: {
            headers: {
                RateLimit: components["headers"]["RateLimit"];
                "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                "Request-Id": components["headers"]["Request-Id"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description Rate limited; see `Retry-After`, `RateLimit-Policy`, `RateLimit` */
        RateLimited: {
            headers: {
                RateLimit: components["headers"]["RateLimit"];
                "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                "Request-Id": components["headers"]["Request-Id"];
                "Retry-After": components["headers"]["Retry-After"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description Missing or invalid credentials */
        Unauthorized: {
            headers: {
                RateLimit: components["headers"]["RateLimit"];
                "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                "Request-Id": components["headers"]["Request-Id"];
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
    };
    parameters: {
        /**
         * @description Makes a retry safe: the first response to this key (status and body) is kept for 24 h and returned again, with `Idempotent-Replayed: true`, to a retry of the same request. Scoped to the API key (or the session’s user); ignored on requests without credentials. The same key with a different request → 422 `idempotency_key_reused`; while the first request is still running → 409 `idempotency_key_in_use`. A file upload (multipart/form-data) is compared by its content — field names, file names, part types and bytes, not the boundary — so a re-encoded retry of the same form matches. Validation failures (400, 413, 415, 422) and 429s are not kept, so the corrected request can reuse the key. 1 to 255 characters (400 `invalid_idempotency_key` otherwise); a UUID is a good choice.
         * @example 5d3c1f0e-8a6b-4c2e-9f1d-7b2a4e6c8d10
         */
        IdempotencyKey: string;
    };
    requestBodies: never;
    headers: {
        /**
         * @description Present (`true`) when this is the stored response of an earlier request with the same `Idempotency-Key`, returned again instead of running the request twice.
         * @example true
         */
        "Idempotent-Replayed": "true";
        /**
         * @description IETF RateLimit state of that limit: the limit, the requests left in the window and the seconds until it resets.
         * @example limit=600, remaining=598, reset=55
         */
        RateLimit: string;
        /**
         * @description IETF RateLimit policy of the limit this request counted against: `<limit>;w=<window seconds>`. Sent for API-key requests (the key’s `rate_limit_per_minute`) and for rate-limited anonymous and sign-in requests (per IP).
         * @example 600;w=60
         */
        "RateLimit-Policy": string;
        /**
         * @description The id of this request (`req_…`). Problems carry the same id as `request_id` and the request log as `id`; quote it when reporting a problem.
         * @example req_0VcOlGUL0AJoU2000007
         */
        "Request-Id": string;
        /**
         * @description Seconds to wait before retrying (the rest of the rate-limit window).
         * @example 42
         */
        "Retry-After": number;
    };
    pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
