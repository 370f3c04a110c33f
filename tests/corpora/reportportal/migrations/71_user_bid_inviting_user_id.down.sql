alter table user_creation_bid
    drop COLUMN inviting_user_id;