package app.parley.ui.chat;

import app.parley.protocol.Target;
import javafx.beans.binding.Bindings;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.Separator;
import javafx.scene.control.TextField;
import javafx.scene.control.TextInputDialog;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * The left column: who you are, your conversations with their unread counts, and the people
 * connected. Selecting a conversation is what the composer writes to.
 */
final class Sidebar {
    private final VBox root;
    private final ChatViewModel model;

    Sidebar(ChatViewModel model) {
        this.model = model;
        root = new VBox(
                identity(),
                new Separator(),
                heading("Conversations"),
                joinRow(),
                conversations(),
                leaveRoom(),
                new Separator(),
                heading("People"),
                people(),
                messagePerson());
        root.getStyleClass().add("sidebar");
        root.setMinWidth(290);
    }

    VBox root() {
        return root;
    }

    private HBox identity() {
        Label name = new Label();
        name.setId("my-name");
        name.getStyleClass().add("my-name");
        name.textProperty()
                .bind(Bindings.when(model.myNameProperty().isEmpty())
                        .then("No name yet")
                        .otherwise(model.myNameProperty()));
        Button rename = new Button("Rename…");
        rename.setId("rename");
        rename.getStyleClass().add("flat");
        rename.disableProperty().bind(model.myIdProperty().isEmpty());
        rename.setOnAction(e -> {
            TextInputDialog dialog = new TextInputDialog(model.myNameProperty().get());
            dialog.setTitle("Rename");
            dialog.setHeaderText("The name others see; unique in this session");
            dialog.initOwner(root.getScene().getWindow());
            dialog.showAndWait().ifPresent(model::rename);
        });
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox row = new HBox(name, spacer, rename);
        row.setAlignment(Pos.CENTER_LEFT);
        row.getStyleClass().add("tool-row");
        return row;
    }

    private HBox joinRow() {
        TextField roomName = new TextField();
        roomName.setId("room-field");
        roomName.setPromptText("Join a room");
        Button join = new Button("Join");
        join.setId("join-room");
        Runnable doJoin = () -> {
            model.joinRoom(roomName.getText());
            roomName.clear();
        };
        join.setOnAction(e -> doJoin.run());
        roomName.setOnAction(e -> doJoin.run());
        HBox.setHgrow(roomName, Priority.ALWAYS);
        HBox row = new HBox(roomName, join);
        row.getStyleClass().add("tool-row");
        return row;
    }

    private ListView<Conversation> conversations() {
        ListView<Conversation> list = new ListView<>(model.conversations());
        list.setId("conversations");
        list.setPrefHeight(200);
        list.setMinHeight(110);
        // Conversations and people share the column's height.
        VBox.setVgrow(list, Priority.ALWAYS);
        list.setCellFactory(l -> new ConversationEntryCell());
        // Two-way: a click selects, and so does the model (joining a room, opening a person).
        list.getSelectionModel().select(model.selectedProperty().get());
        list.getSelectionModel().selectedItemProperty().addListener((obs, old, now) -> model.select(now));
        model.selectedProperty()
                .addListener((obs, old, now) -> list.getSelectionModel().select(now));
        return list;
    }

    private Button leaveRoom() {
        Button leave = new Button("Leave room");
        leave.setId("leave-room");
        leave.disableProperty()
                .bind(Bindings.createBooleanBinding(
                        () -> !(model.selectedProperty().get().target() instanceof Target.Room),
                        model.selectedProperty()));
        leave.setOnAction(e -> {
            if (model.selectedProperty().get().target() instanceof Target.Room room) {
                model.leaveRoom(room.name());
            }
        });
        return leave;
    }

    private ListView<ChatViewModel.Person> peopleList;

    private ListView<ChatViewModel.Person> people() {
        peopleList = new ListView<>(model.people());
        peopleList.setId("people-list");
        Label placeholder = new Label();
        placeholder.textProperty().bind(model.peoplePlaceholder());
        peopleList.setPlaceholder(placeholder);
        peopleList.setCellFactory(list -> new ListCell<>() {
            @Override
            protected void updateItem(ChatViewModel.Person person, boolean empty) {
                super.updateItem(person, empty);
                if (empty || person == null) {
                    setText(null);
                    setTooltip(null);
                    return;
                }
                boolean me = person.id().equals(model.myIdProperty().get());
                setText(me ? person.label() + " (you)" : person.label());
                setTooltip(new javafx.scene.control.Tooltip("Connection id " + person.id()));
            }
        });
        peopleList.setOnMouseClicked(e -> {
            ChatViewModel.Person person = peopleList.getSelectionModel().getSelectedItem();
            if (person != null && e.getButton() == MouseButton.PRIMARY && e.getClickCount() == 2) {
                model.messagePerson(person.id());
            }
        });
        // "(you)" depends on our id, which arrives after the first list may be drawn.
        model.myIdProperty().addListener((obs, old, now) -> peopleList.refresh());
        VBox.setVgrow(peopleList, Priority.ALWAYS);
        return peopleList;
    }

    private Button messagePerson() {
        Button message = new Button("Message privately");
        message.setId("message-person");
        message.disableProperty()
                .bind(Bindings.createBooleanBinding(
                        () -> {
                            ChatViewModel.Person person =
                                    peopleList.getSelectionModel().getSelectedItem();
                            return person == null
                                    || person.id().equals(model.myIdProperty().get());
                        },
                        peopleList.getSelectionModel().selectedItemProperty(),
                        model.myIdProperty()));
        message.setOnAction(e -> model.messagePerson(
                peopleList.getSelectionModel().getSelectedItem().id()));
        return message;
    }

    private static Label heading(String text) {
        Label label = new Label(text);
        label.getStyleClass().add("panel-heading");
        return label;
    }

    /** A conversation's title with its unread count as a badge. */
    private static final class ConversationEntryCell extends ListCell<Conversation> {
        private final Label title = new Label();
        private final Label unread = new Label();
        private final HBox box;

        ConversationEntryCell() {
            unread.getStyleClass().add("unread-badge");
            Region spacer = new Region();
            HBox.setHgrow(spacer, Priority.ALWAYS);
            box = new HBox(title, spacer, unread);
            box.setAlignment(Pos.CENTER_LEFT);
        }

        @Override
        protected void updateItem(Conversation conversation, boolean empty) {
            super.updateItem(conversation, empty);
            title.textProperty().unbind();
            unread.textProperty().unbind();
            unread.visibleProperty().unbind();
            if (empty || conversation == null) {
                setGraphic(null);
                return;
            }
            title.textProperty().bind(conversation.titleProperty());
            unread.textProperty().bind(conversation.unreadProperty().asString());
            unread.visibleProperty().bind(conversation.unreadProperty().greaterThan(0));
            setGraphic(box);
        }
    }
}
