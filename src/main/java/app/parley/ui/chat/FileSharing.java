package app.parley.ui.chat;

import app.parley.protocol.ImageHeader;
import app.parley.protocol.SharedFile;
import app.parley.protocol.Target;
import app.parley.session.ChatSession;
import app.parley.session.FileTransfer;
import app.parley.session.SessionEvent;
import app.parley.session.SessionEvent.TransferState;
import app.parley.ui.lines.Attachment;
import app.parley.ui.lines.ConversationLine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * Files in the chat window: sending (attach, drop, paste), the transfers under way, pictures
 * fetched into the cache to be shown, and files saved where the person chose. Changed on the UI
 * thread only; disk work goes to {@code io}.
 *
 * <p>The cache holds pictures under their SHA-256 and nothing else: no name a sender chose ever
 * becomes a path here. Nothing is fetched but pictures to show; a file is saved only where the
 * person picked in a save dialog.
 */
final class FileSharing {
    /** Pictures bigger than this show as a card with Save…, not fetched just because they scrolled by. */
    static final long AUTO_FETCH_BYTES = 25_000_000L;
    /** Ids of transfers that ended, so a progress event that comes after the end brings no row back. */
    private static final int ENDED_KEPT = 256;

    private static final String CANCELLED = "cancelled";
    /** How long a pasted picture's PNG stays in the cache: long enough to be sent after a reconnect. */
    private static final java.time.Duration PASTES_KEPT = java.time.Duration.ofDays(1);

    private static final DateTimeFormatter PASTED = DateTimeFormatter.ofPattern("yyyy-MM-dd 'at' HH.mm.ss");

    private final ChatSession session;
    private final Executor ui;
    private final Executor io;
    private final Path cache;
    private final LineMaker lines;

    // Properties //
    private final ObservableList<TransferRow> transfers = FXCollections.observableArrayList();

    private final Map<String, TransferRow> rows = new HashMap<>();
    private final Set<String> ended = new LinkedHashSet<>();
    private final Map<String, PictureSlot> pictures = new HashMap<>();
    /** Pictures being fetched to be shown: their frames show it, the strip does not. */
    private final Set<String> quiet = new java.util.HashSet<>();

    /**
     * @param cache where pictures and pasted pictures go; null for none (pictures then show as cards)
     */
    FileSharing(ChatSession session, Executor ui, Executor io, Path cache, LineMaker lines) {
        this.session = session;
        this.ui = ui;
        this.io = io;
        this.cache = cache;
        this.lines = lines;
    }

    /** The transfers under way, and failed ones until dismissed. */
    ObservableList<TransferRow> transfers() {
        return transfers;
    }

    // Commands //

    /** Sends each regular file to {@code here}'s target; a folder or unreadable file gets a notice instead. */
    void send(Conversation here, List<Path> files) {
        Target target = here.target();
        for (Path file : files) {
            io.execute(() -> prepare(
                    here,
                    target,
                    file,
                    file.getFileName() == null ? "file" : file.getFileName().toString()));
        }
    }

    /** Sends a picture pasted from the clipboard, written as a PNG into the cache first. */
    void sendPicture(Conversation here, int width, int height, int[] argb) {
        Target target = here.target();
        if (cache == null) {
            here.lines().add(ConversationLine.notice("Pasting a picture needs a cache directory"));
            return;
        }
        io.execute(() -> {
            try {
                byte[] png = PngWriter.write(width, height, argb);
                forgetOldPastes(cache.resolve("pasted"), Instant.now().minus(PASTES_KEPT));
                // The file's own name is what the session offers, so it is the name people see;
                // a folder of its own keeps two pastes in one second apart.
                Path folder = Files.createDirectories(
                        cache.resolve("pasted").resolve(UUID.randomUUID().toString()));
                String name = "Pasted picture " + PASTED.format(LocalDateTime.now()) + ".png";
                Path file = folder.resolve(name);
                Files.write(file, png);
                prepare(here, target, file, name);
            } catch (IOException | RuntimeException e) {
                ui.execute(
                        () -> here.lines().add(ConversationLine.notice("The picture was not sent: " + e.getMessage())));
            }
        });
    }

    /**
     * Deletes pasted pictures written before {@code before}: once sent, the host has them (and
     * history shows them from there), so the copies here only served the line shown while sending.
     */
    static void forgetOldPastes(Path pasted, Instant before) throws IOException {
        if (!Files.isDirectory(pasted)) {
            return;
        }
        try (var folders = Files.list(pasted)) {
            for (Path folder : (Iterable<Path>) folders::iterator) {
                if (Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)
                        && Files.getLastModifiedTime(folder).toInstant().isBefore(before)) {
                    try (var files = Files.list(folder)) {
                        for (Path file : (Iterable<Path>) files::iterator) {
                            Files.deleteIfExists(file);
                        }
                    }
                    Files.deleteIfExists(folder);
                }
            }
        }
    }

    /** Fetches {@code file}'s bytes to where the person chose to save it; progress shows as a row. */
    void save(Attachment file, Path destination) {
        if (file.message() == null || file.expired()) {
            return;
        }
        track(session.receiveFile(file.message(), destination), outcome -> {});
    }

    /** Where the picture of {@code file} stands; the first call for it starts fetching it. */
    PictureSlot picture(Attachment file) {
        if (file.sentFrom() != null) {
            return pictures.computeIfAbsent("sent " + file.sentFrom(), key -> checked(file.sentFrom()));
        }
        String sha256 = file.sha256();
        if (sha256 == null || cache == null || !file.showsAsPicture() || file.size() > AUTO_FETCH_BYTES) {
            PictureSlot none = new PictureSlot();
            none.failed("not fetched");
            return none;
        }
        return pictures.computeIfAbsent(
                sha256, key -> fetch(file, cache.resolve("pictures").resolve(sha256)));
    }

    // Events //

    void progress(SessionEvent.TransferProgress p) {
        TransferRow row = rows.get(p.transferId());
        if (row == null && quiet.contains(p.transferId())) {
            return;
        }
        if (row == null) {
            if (ended.contains(p.transferId())
                    || p.state() != TransferState.RUNNING && p.state() != TransferState.PAUSED) {
                return;
            }
            row = add(p.transferId(), p.direction(), p.name(), p.size());
        }
        row.progress(p);
        boolean gone = p.state() == TransferState.DONE
                || p.state() == TransferState.CANCELLED
                || p.state() == TransferState.FAILED && row.cancelAsked();
        if (gone) {
            remove(row);
        }
    }

    // Inside //

    /** On {@code io}: what is known of the file here, then its line and the transfer. */
    private void prepare(Conversation here, Target target, Path file, String name) {
        long size;
        Optional<ImageHeader.Picture> picture;
        String type;
        try {
            if (!Files.isRegularFile(file)) {
                throw new IOException(name + " is not a file");
            }
            size = Files.size(file);
            picture = PictureCheck.of(file).filter(PictureCheck::fitsShowing);
            type = picture.map(ImageHeader.Picture::type).orElseGet(() -> probe(file));
        } catch (IOException | RuntimeException e) {
            ui.execute(() -> here.lines().add(ConversationLine.notice("Not sent: " + e.getMessage())));
            return;
        }
        Attachment shown = Attachment.sent(
                file,
                name,
                size,
                type,
                picture.map(ImageHeader.Picture::width).orElse(0),
                picture.map(ImageHeader.Picture::height).orElse(0));
        String clientId = UUID.randomUUID().toString();
        ui.execute(() -> {
            ConversationLine line =
                    lines.sendingFile(target, "📎 " + name + " (" + SharedFile.readableSize(size) + ")", shown);
            here.lines().add(line);
            here.showingOwn(clientId);
            io.execute(() -> {
                FileTransfer transfer = session.sendFile(target, file, clientId);
                ui.execute(() -> track(transfer, outcome -> {
                    int index = here.lines().lastIndexOf(line);
                    if (index >= 0) {
                        here.lines()
                                .set(
                                        index,
                                        line.withStatus(
                                                outcome == null
                                                        ? "delivered"
                                                        : CANCELLED.equals(outcome) ? "cancelled" : "failed"));
                    }
                }));
            });
        });
    }

    private static String probe(Path file) {
        try {
            return Files.probeContentType(file);
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * A row from now on, and the end of the transfer handed to {@code end}: null when it
     * succeeded, {@link #CANCELLED} when the person stopped it, else the reason it failed.
     */
    private void track(FileTransfer transfer, Consumer<String> end) {
        TransferRow row = rows.get(transfer.id());
        if (row == null && !ended.contains(transfer.id())) {
            row = add(transfer.id(), transfer.direction(), transfer.name(), transfer.size());
        }
        if (row != null) {
            row.attach(transfer);
        }
        TransferRow shown = row;
        transfer.done()
                .whenComplete((ok, failure) -> ui.execute(() -> {
                    boolean cancelled = failure != null && shown != null && shown.cancelAsked();
                    end.accept(failure == null ? null : cancelled ? CANCELLED : ChatViewModel.reason(failure));
                    if (shown == null) {
                        return;
                    }
                    if (failure == null || cancelled) {
                        remove(shown);
                    } else {
                        shown.failed(ChatViewModel.reason(failure));
                    }
                }));
    }

    private TransferRow add(String id, FileTransfer.Direction direction, String name, long size) {
        TransferRow row = new TransferRow(id, direction, name, size);
        rows.put(id, row);
        transfers.add(row);
        return row;
    }

    /** ×: stops a running transfer; takes a failed row away. */
    void cancel(TransferRow row) {
        row.cancel();
        if (row.stateProperty().get() == TransferState.FAILED) {
            remove(row);
        }
    }

    private void remove(TransferRow row) {
        rows.remove(row.id());
        transfers.remove(row);
        ended.add(row.id());
        if (ended.size() > ENDED_KEPT) {
            ended.remove(ended.iterator().next());
        }
    }

    /** A picture in the cache already, or fetched into it; checked by its header either way. */
    private PictureSlot fetch(Attachment file, Path destination) {
        PictureSlot slot = new PictureSlot();
        io.execute(() -> {
            if (Files.isRegularFile(destination)) {
                check(slot, destination);
                return;
            }
            try {
                Files.createDirectories(destination.getParent());
            } catch (IOException e) {
                ui.execute(() -> slot.failed("the picture cache cannot be written: " + e.getMessage()));
                return;
            }
            ui.execute(() -> {
                FileTransfer fetching = session.receiveFile(file.message(), destination);
                // Its frame says "Loading picture…": no row, or a conversation of fifty pictures
                // would push fifty rows above the composer. Its progress events come after this.
                quiet.add(fetching.id());
                fetching.done()
                        .whenComplete((ok, failure) -> ui.execute(() -> {
                            quiet.remove(fetching.id());
                            if (failure == null) {
                                io.execute(() -> check(slot, destination));
                            } else {
                                slot.failed(ChatViewModel.reason(failure));
                            }
                        }));
            });
        });
        return slot;
    }

    private PictureSlot checked(Path file) {
        PictureSlot slot = new PictureSlot();
        io.execute(() -> check(slot, file));
        return slot;
    }

    /** On {@code io}: the bytes must say they are a picture small enough to decode. */
    private void check(PictureSlot slot, Path file) {
        Optional<ImageHeader.Picture> picture;
        try {
            picture = PictureCheck.of(file);
        } catch (IOException e) {
            ui.execute(() -> slot.failed(e.getMessage()));
            return;
        }
        ui.execute(() -> {
            if (picture.isEmpty()) {
                slot.failed("not a picture this window shows");
            } else if (!PictureCheck.fitsShowing(picture.get())) {
                slot.failed("too many pixels to show");
            } else {
                slot.ready(file);
            }
        });
    }
}
