package app.parley.ui.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.VBox;
import javafx.stage.Popup;

/**
 * Ctrl+K: type a few letters of a room or a person, Enter goes there (a person opens the direct
 * conversation), Escape closes.
 */
final class QuickSwitcher {
    /** Where one entry leads. */
    private record Choice(String label, Conversation conversation, String personId) {
        @Override
        public String toString() {
            return label;
        }
    }

    private final ChatViewModel model;
    private final Popup popup = new Popup();
    private final TextField filter = new TextField();
    private final ListView<Choice> choices = new ListView<>();

    QuickSwitcher(ChatViewModel model) {
        this.model = model;
        filter.setId("quick-switch-field");
        filter.setPromptText("Jump to a room or person");
        choices.setId("quick-switch-list");
        choices.setPrefHeight(220);
        filter.textProperty().addListener((obs, old, now) -> refill(now));
        filter.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ESCAPE) {
                popup.hide();
            } else if (e.getCode() == KeyCode.DOWN) {
                choices.getSelectionModel().selectNext();
                e.consume();
            } else if (e.getCode() == KeyCode.UP) {
                choices.getSelectionModel().selectPrevious();
                e.consume();
            }
        });
        filter.setOnAction(e -> go(choices.getSelectionModel().getSelectedItem()));
        choices.setOnMouseClicked(e -> go(choices.getSelectionModel().getSelectedItem()));
        VBox box = new VBox(filter, choices);
        box.getStyleClass().add("quick-switcher");
        box.setPrefWidth(360);
        popup.getContent().add(box);
        popup.setAutoHide(true);
        refill("");
    }

    void show(Node owner) {
        Bounds bounds = owner.localToScreen(owner.getBoundsInLocal());
        popup.show(owner, bounds.getMinX() + (bounds.getWidth() - 360) / 2, bounds.getMinY() + 40);
        filter.requestFocus();
    }

    private void refill(String typed) {
        String query = typed == null ? "" : typed.strip().toLowerCase(Locale.ROOT);
        List<Choice> all = new ArrayList<>();
        for (Conversation conversation : model.conversations()) {
            all.add(new Choice(conversation.title(), conversation, null));
        }
        for (ChatViewModel.Person person : model.people()) {
            if (!person.id().equals(model.myIdProperty().get())
                    && all.stream().noneMatch(c -> c.label().equals("@" + person.label()))) {
                all.add(new Choice("@" + person.label(), null, person.id()));
            }
        }
        choices.getItems()
                .setAll(all.stream()
                        .filter(c -> c.label().toLowerCase(Locale.ROOT).contains(query))
                        .toList());
        choices.getSelectionModel().selectFirst();
    }

    private void go(Choice choice) {
        if (choice == null) {
            return;
        }
        popup.hide();
        if (choice.conversation() != null) {
            model.select(choice.conversation());
        } else {
            model.messagePerson(choice.personId());
        }
    }
}
