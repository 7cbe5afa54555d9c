// careline's API explorer: Swagger UI from local files, started from this file
// rather than an inline script, so the page keeps the strict Content-Security-Policy.
window.addEventListener("load", function () {
  window.SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    // Requests made from the explorer carry the signed-in session's cookie.
    withCredentials: true,
  });
});
