"""Who acts (`actors`) and what they may do (`capabilities`): the one authorization model that
services, GraphQL permissions, the admin and templates ask. No models of its own."""
