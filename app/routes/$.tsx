import { GeneralErrorBoundary } from "../components/error-boundary.tsx";
import { notFound } from "../utils/responses.server.ts";

// Unknown URLs render the app's 404 page inside the layout.
export async function loader() {
  throw notFound();
}

export default function NotFound() {
  return null;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
