.class public abstract Lorg/hypercompat/shim/firebase/messaging/FirebaseMessagingService;
.super Landroid/app/Service;
.source "FirebaseMessagingService.smali"

# Portable stand-in for com.google.firebase.messaging.FirebaseMessagingService: an ordinary
# Service whose callbacks are never driven (no push channel); binding returns null.

.method public constructor <init>()V
    .registers 1
    invoke-direct {p0}, Landroid/app/Service;-><init>()V
    return-void
.end method

.method public onBind(Landroid/content/Intent;)Landroid/os/IBinder;
    .registers 3
    const/4 v0, 0x0
    return-object v0
.end method

.method public onMessageReceived(Lorg/hypercompat/shim/firebase/messaging/RemoteMessage;)V
    .registers 2
    return-void
.end method

.method public onNewToken(Ljava/lang/String;)V
    .registers 2
    return-void
.end method

.method public onDeletedMessages()V
    .registers 1
    return-void
.end method
