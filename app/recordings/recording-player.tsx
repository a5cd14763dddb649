// The browser's own player (keyboard operable, labelled) on the Range-capable media route. preload="metadata":
// only the first bytes are fetched until the user presses play; seeking asks for the bytes it needs.
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";

export function RecordingPlayer({ recordingId, label, mediaType = "audio" }: { recordingId: string; label: string; mediaType?: "audio" | "video" }) {
  const { t } = useTranslation("recordings");
  const id = useId();
  const [failed, setFailed] = useState(false);
  const Media = mediaType === "video" ? "video" : "audio";
  return (
    <figure className="recording-player" style={{ margin: "0.5rem 0" }}>
      <figcaption id={`${id}-label`}>{label}</figcaption>
      <Media
        controls
        preload="metadata"
        src={`/recordings/${encodeURIComponent(recordingId)}/media`}
        aria-labelledby={`${id}-label`}
        onError={() => setFailed(true)}
        style={{ width: "100%", maxWidth: "40rem" }}
      >
        {t("player.unsupported")}
      </Media>
      {failed ? (
        <p className="form-error" role="alert">
          {t("player.failed")}
        </p>
      ) : null}
    </figure>
  );
}
