.class public final Lorg/hypercompat/shim/firebase/messaging/RemoteMessage;
.super Ljava/lang/Object;
.source "RemoteMessage.smali"

# Portable stand-in for com.google.firebase.messaging.RemoteMessage: a sender and a data map.

.field private final from:Ljava/lang/String;
.field private final data:Ljava/util/Map;

.method public constructor <init>(Ljava/lang/String;Ljava/util/Map;)V
    .registers 3
    invoke-direct {p0}, Ljava/lang/Object;-><init>()V
    iput-object p1, p0, Lorg/hypercompat/shim/firebase/messaging/RemoteMessage;->from:Ljava/lang/String;
    iput-object p2, p0, Lorg/hypercompat/shim/firebase/messaging/RemoteMessage;->data:Ljava/util/Map;
    return-void
.end method

.method public getFrom()Ljava/lang/String;
    .registers 2
    iget-object v0, p0, Lorg/hypercompat/shim/firebase/messaging/RemoteMessage;->from:Ljava/lang/String;
    return-object v0
.end method

.method public getData()Ljava/util/Map;
    .registers 2
    iget-object v0, p0, Lorg/hypercompat/shim/firebase/messaging/RemoteMessage;->data:Ljava/util/Map;
    return-object v0
.end method

.method public getMessageId()Ljava/lang/String;
    .registers 2
    const/4 v0, 0x0
    return-object v0
.end method
