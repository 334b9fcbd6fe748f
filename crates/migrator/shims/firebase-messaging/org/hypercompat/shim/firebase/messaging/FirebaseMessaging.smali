.class public final Lorg/hypercompat/shim/firebase/messaging/FirebaseMessaging;
.super Ljava/lang/Object;
.source "FirebaseMessaging.smali"

# Portable stand-in for com.google.firebase.messaging.FirebaseMessaging. The target has no
# Firebase Cloud Messaging: token requests fail with an IOException that says so (the app's
# failure path runs, as on a phone without Play services), topic calls succeed and do nothing.

.field private static instance:Lorg/hypercompat/shim/firebase/messaging/FirebaseMessaging;
.field private autoInit:Z

.method private constructor <init>()V
    .registers 1
    invoke-direct {p0}, Ljava/lang/Object;-><init>()V
    return-void
.end method

.method public static getInstance()Lorg/hypercompat/shim/firebase/messaging/FirebaseMessaging;
    .registers 2
    const-class v1, Lorg/hypercompat/shim/firebase/messaging/FirebaseMessaging;
    monitor-enter v1
    sget-object v0, Lorg/hypercompat/shim/firebase/messaging/FirebaseMessaging;->instance:Lorg/hypercompat/shim/firebase/messaging/FirebaseMessaging;
    if-nez v0, :done
    new-instance v0, Lorg/hypercompat/shim/firebase/messaging/FirebaseMessaging;
    invoke-direct {v0}, Lorg/hypercompat/shim/firebase/messaging/FirebaseMessaging;-><init>()V
    sput-object v0, Lorg/hypercompat/shim/firebase/messaging/FirebaseMessaging;->instance:Lorg/hypercompat/shim/firebase/messaging/FirebaseMessaging;
    :done
    monitor-exit v1
    return-object v0
.end method

.method private static unavailable()Lorg/hypercompat/shim/gms/tasks/Task;
    .registers 2
    new-instance v0, Ljava/io/IOException;
    const-string v1, "SERVICE_NOT_AVAILABLE: no Firebase Cloud Messaging on this platform (HyperCompat shim)"
    invoke-direct {v0, v1}, Ljava/io/IOException;-><init>(Ljava/lang/String;)V
    invoke-static {v0}, Lorg/hypercompat/shim/gms/tasks/Tasks;->forException(Ljava/lang/Exception;)Lorg/hypercompat/shim/gms/tasks/Task;
    move-result-object v0
    return-object v0
.end method

.method public getToken()Lorg/hypercompat/shim/gms/tasks/Task;
    .registers 2
    invoke-static {}, Lorg/hypercompat/shim/firebase/messaging/FirebaseMessaging;->unavailable()Lorg/hypercompat/shim/gms/tasks/Task;
    move-result-object v0
    return-object v0
.end method

.method public deleteToken()Lorg/hypercompat/shim/gms/tasks/Task;
    .registers 2
    const/4 v0, 0x0
    invoke-static {v0}, Lorg/hypercompat/shim/gms/tasks/Tasks;->forResult(Ljava/lang/Object;)Lorg/hypercompat/shim/gms/tasks/Task;
    move-result-object v0
    return-object v0
.end method

.method public subscribeToTopic(Ljava/lang/String;)Lorg/hypercompat/shim/gms/tasks/Task;
    .registers 3
    const/4 v0, 0x0
    invoke-static {v0}, Lorg/hypercompat/shim/gms/tasks/Tasks;->forResult(Ljava/lang/Object;)Lorg/hypercompat/shim/gms/tasks/Task;
    move-result-object v0
    return-object v0
.end method

.method public unsubscribeFromTopic(Ljava/lang/String;)Lorg/hypercompat/shim/gms/tasks/Task;
    .registers 3
    const/4 v0, 0x0
    invoke-static {v0}, Lorg/hypercompat/shim/gms/tasks/Tasks;->forResult(Ljava/lang/Object;)Lorg/hypercompat/shim/gms/tasks/Task;
    move-result-object v0
    return-object v0
.end method

.method public isAutoInitEnabled()Z
    .registers 2
    iget-boolean v0, p0, Lorg/hypercompat/shim/firebase/messaging/FirebaseMessaging;->autoInit:Z
    return v0
.end method

.method public setAutoInitEnabled(Z)V
    .registers 2
    iput-boolean p1, p0, Lorg/hypercompat/shim/firebase/messaging/FirebaseMessaging;->autoInit:Z
    return-void
.end method
